"""``handoff_freshdesk_ticket``: create a Freshdesk ticket for the conversation.

Steps (``ctx.data["phase"]``):

1. ``email`` — when the contact has no email, ask for it (validated) and wait;
2. ``verify`` — when ``verify_email`` is on and the email is not verified (no site JWT, no
   earlier code), confirm it with a one-time code: a code is reserved in this transaction
   (resend limits apply), an ``otp.requested:email`` job makes it and emails it, and the
   visitor is asked for it (input ``{"field": "otp"}``). A wrong code says how many attempts
   are left; an expired or exhausted one says so and offers "Send a new code"; a new code
   is refused with the waiting time while the resend limit holds. Only the right code goes on;
   it also marks the contact's email verified;
3. ``ticket`` — tell the visitor the ticket is being created, and
   ``do_hand_off(target=freshdesk)``: the status becomes ``ticketed`` and
   ``conversation.handed_off`` is recorded in the same transaction; the Freshdesk
   connector's job creates the ticket with the transcript and tells the visitor its number.
"""

from __future__ import annotations

from relaydesk.conversations.actions import do_hand_off, do_update_contact
from relaydesk.conversations.states import HandoffTarget
from relaydesk.jobs.outbox import enqueue
from relaydesk.security.actions import do_check_code, do_request_code, do_supersede_codes
from relaydesk.security.handlers import OTP_JOB_KIND
from relaydesk.security.otp import DEFAULT_POLICY, CheckOutcome, ResendTooSoon, normalise_candidate
from relaydesk.workflows.blocks.collect import clean_email, remember
from relaydesk.workflows.context import End, Step, StepContext, VisitorInput, Wait
from relaydesk.workflows.schema import HandoffFreshdeskTicketBlock

EMAIL_INPUT = {"field": "email", "label": "Your email"}
OTP_INPUT = {"field": "otp", "label": "6-digit code"}
RESEND = {"id": "otp_resend", "label": "Send a new code"}
CHANGE_EMAIL = {"id": "otp_change_email", "label": "Use another email"}
BUTTON_LABELS = {RESEND["id"]: RESEND["label"], CHANGE_EMAIL["id"]: CHANGE_EMAIL["label"]}


def needs_verification(block: HandoffFreshdeskTicketBlock, ctx: StepContext) -> bool:
    """Tell whether the email must be confirmed with a one-time code first.

    Not when the email is already verified: it came in the site's JWT (secure mode), or an
    earlier code confirmed it. A JWT-identified visitor whose token carried no email and who
    typed one is asked for a code: the site vouched for the person, not for that address.
    """
    return block.verify_email and not ctx.contact.email_verified


def code_subject(ctx: StepContext) -> str:
    """Return what the codes of this conversation are issued for."""
    return f"conversation:{ctx.conversation.id}"


def _ask_code(ctx: StepContext, text: str, *, with_input: bool = True) -> Step:
    ctx.say(
        text,
        author="system",
        input=OTP_INPUT if with_input else None,
        buttons=[RESEND, CHANGE_EMAIL],
    )
    return Wait(buttons=(RESEND["id"], CHANGE_EMAIL["id"]))


def send_code(ctx: StepContext, *, resend: bool = False) -> Step:
    """Reserve a code and queue its email (resend limits apply); ask the visitor for it."""
    email = ctx.contact.email or ""
    try:
        row = do_request_code(ctx.session, subject=code_subject(ctx), email=email, now=ctx.now)
    except ResendTooSoon as exc:
        return _ask_code(ctx, exc.message)
    enqueue(
        ctx.session,
        OTP_JOB_KIND,
        {"code_id": row.id, "conversation_id": ctx.conversation.id},
        ordering_key=f"otp:{ctx.conversation.id}",
        idempotency_key=f"otp:{row.id}",
        max_attempts=5,
    )
    minutes = int(DEFAULT_POLICY.ttl.total_seconds() // 60)
    lead = "I've sent a new code" if resend else "To confirm it's you, I've sent a 6-digit code"
    return _ask_code(ctx, f"{lead} to {email}. Type it here; it expires in {minutes} minutes.")


def start_verification(block: HandoffFreshdeskTicketBlock, ctx: StepContext) -> Step | None:
    """Begin the one-time-code check: send a code and wait for it."""
    ctx.data["phase"] = "verify"
    return send_code(ctx)


def resume_verification(
    block: HandoffFreshdeskTicketBlock, ctx: StepContext, given: VisitorInput
) -> Step | None:
    """Check the code the visitor typed (or resend it); None once it is right."""
    if given.button_id == RESEND["id"]:
        return send_code(ctx, resend=True)
    if given.button_id == CHANGE_EMAIL["id"]:
        do_supersede_codes(ctx.session, code_subject(ctx), now=ctx.now)
        ctx.data["phase"] = "email"
        ctx.say(block.email_prompt, input=EMAIL_INPUT)
        return Wait()
    candidate = normalise_candidate(given.text or "")
    if not (candidate.isdigit() and len(candidate) == DEFAULT_POLICY.digits):
        return _ask_code(ctx, "Please type the 6-digit code from the email.")
    result = do_check_code(
        ctx.session,
        subject=code_subject(ctx),
        candidate=candidate,
        now=ctx.now,
        email=ctx.contact.email,
    )
    if result.outcome is CheckOutcome.OK:
        do_update_contact(ctx.session, ctx.contact, email_verified=True)
        ctx.say("Thanks, your email is confirmed.", author="system")
        return None
    if result.outcome is CheckOutcome.WRONG:
        left = result.attempts_left
        return _ask_code(
            ctx,
            f"That code isn't right. You have {left} attempt{'s' if left != 1 else ''} left.",
        )
    if result.outcome is CheckOutcome.PENDING:
        return _ask_code(ctx, "The email with your code is on its way. Please check your inbox.")
    if result.outcome is CheckOutcome.EXPIRED:
        text = "That code has expired. Press “Send a new code” to get a new one."
    elif result.outcome is CheckOutcome.EXHAUSTED:
        text = "Too many wrong attempts for this code. Press “Send a new code” to get a new one."
    else:
        text = "There is no code waiting for you. Press “Send a new code” to get one."
    return _ask_code(ctx, text, with_input=False)


def create_ticket(block: HandoffFreshdeskTicketBlock, ctx: StepContext) -> Step:
    """Tell the visitor and hand the conversation off to Freshdesk."""
    ctx.data["phase"] = "ticket"
    ctx.say(block.text, author="system")
    reason = str(ctx.data.get("reason") or f"workflow block {block.id}")
    do_hand_off(ctx.session, ctx.conversation, target=HandoffTarget.FRESHDESK, reason=reason)
    return End()


def _after_email(block: HandoffFreshdeskTicketBlock, ctx: StepContext) -> Step:
    if needs_verification(block, ctx):
        step = start_verification(block, ctx)
        if step is not None:
            return step
    return create_ticket(block, ctx)


def enter(block: HandoffFreshdeskTicketBlock, ctx: StepContext) -> Step:
    """Ask for the email when unknown; otherwise go on to verification and the ticket."""
    if not ctx.contact.email:
        ctx.data["phase"] = "email"
        ctx.say(block.email_prompt, input=EMAIL_INPUT)
        return Wait()
    return _after_email(block, ctx)


def resume(block: HandoffFreshdeskTicketBlock, ctx: StepContext, given: VisitorInput) -> Step:
    """Take the email (or the code) the visitor typed."""
    phase = ctx.data.get("phase")
    if phase == "verify":
        step = resume_verification(block, ctx, given)
        return step if step is not None else create_ticket(block, ctx)
    if phase == "email" or not ctx.contact.email:
        email = clean_email(given.text or "")
        if email is None:
            ctx.say(block.invalid_email_text, input=EMAIL_INPUT)
            return Wait()
        remember(ctx, "email", email)
    return _after_email(block, ctx)
