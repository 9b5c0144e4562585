"""``handoff_freshdesk_ticket``: create a Freshdesk ticket for the conversation.

Steps (``ctx.data["phase"]``):

1. ``email`` — when the contact has no email, ask for it (validated) and wait;
2. ``verify`` — when ``verify_email`` is on and the email is not verified (no site JWT),
   confirm it with a one-time code: ``start_verification`` / ``resume_verification`` are the
   seam the Freshdesk connector's OTP step fills in;
3. ``ticket`` — tell the visitor, and ``do_hand_off(target=freshdesk)``: the status becomes
   ``ticketed`` and ``conversation.handed_off`` is recorded in the same transaction; the
   Freshdesk connector's job creates the ticket with the transcript and tells the visitor its
   number.
"""

from __future__ import annotations

from relaydesk.conversations.actions import do_hand_off
from relaydesk.conversations.states import HandoffTarget
from relaydesk.workflows.blocks.collect import clean_email, remember
from relaydesk.workflows.context import End, Step, StepContext, VisitorInput, Wait
from relaydesk.workflows.schema import HandoffFreshdeskTicketBlock

EMAIL_INPUT = {"field": "email", "label": "Your email"}


def needs_verification(block: HandoffFreshdeskTicketBlock, ctx: StepContext) -> bool:
    """Tell whether the email must be confirmed with a one-time code first."""
    return block.verify_email and not (ctx.contact.verified or ctx.contact.email_verified)


def start_verification(block: HandoffFreshdeskTicketBlock, ctx: StepContext) -> Step | None:
    """Begin the one-time-code check; None when there is nothing to check (the seam for OTP)."""
    return None


def resume_verification(
    block: HandoffFreshdeskTicketBlock, ctx: StepContext, given: VisitorInput
) -> Step | None:
    """Continue the one-time-code check; None when verified (the seam for OTP)."""
    return None


def create_ticket(block: HandoffFreshdeskTicketBlock, ctx: StepContext) -> Step:
    """Tell the visitor and hand the conversation off to Freshdesk."""
    ctx.data["phase"] = "ticket"
    ctx.say(block.text, author="system")
    reason = str(ctx.data.get("reason") or f"workflow block {block.id}")
    do_hand_off(ctx.session, ctx.conversation, target=HandoffTarget.FRESHDESK, reason=reason)
    return End()


def _after_email(block: HandoffFreshdeskTicketBlock, ctx: StepContext) -> Step:
    if needs_verification(block, ctx):
        ctx.data["phase"] = "verify"
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
