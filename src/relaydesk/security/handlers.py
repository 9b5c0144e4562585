"""The one-time-code email job (registered in ``relaydesk.jobs.handlers``).

``otp.requested:email`` is enqueued by the ticket block in the visitor's transaction with the
id of a reserved code row; the job makes the code, stores its hash and emails it, so the
plaintext exists only in this job's memory. A retried email makes a fresh code.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from relaydesk.conversations.actions import do_append_message
from relaydesk.db.models.conversations import Conversation
from relaydesk.jobs.errors import PermanentFailure
from relaydesk.jobs.registry import handler
from relaydesk.jobs.worker import JobContext
from relaydesk.mail import Mailer, MailFailed, MailNotConfigured, otp_email
from relaydesk.security.actions import do_fill_code
from relaydesk.security.otp import DEFAULT_POLICY

OTP_EVENT = "otp.requested"
OTP_CONCERN = "email"
OTP_JOB_KIND = f"{OTP_EVENT}:{OTP_CONCERN}"
NO_MAIL_TEXT = "Sorry, we can't send email right now, so we can't confirm your address."


def _tell(session: Session, conversation_id: str, text: str) -> None:
    conv = session.get(Conversation, conversation_id)
    if conv is not None:
        do_append_message(session, conv, author="system", text=text)


@handler(OTP_EVENT, OTP_CONCERN, max_attempts=5)
async def email_code_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Make the reserved code, store its hash, and email it; tell the visitor if it can't."""
    conversation_id = str(payload.get("conversation_id") or "")
    try:
        mailer = Mailer.from_settings(ctx.settings)
    except MailNotConfigured as exc:
        await ctx.in_transaction(lambda s: _tell(s, conversation_id, NO_MAIL_TEXT))
        raise PermanentFailure(exc.message) from exc
    issued = await ctx.in_transaction(lambda s: do_fill_code(s, str(payload["code_id"])))
    if issued is None:
        return  # superseded by a newer code, or already used
    minutes = int(DEFAULT_POLICY.ttl.total_seconds() // 60)
    try:
        await mailer.send(otp_email(mailer, to=issued.email, code=issued.code, minutes=minutes))
    except MailFailed:
        last = ctx.job is not None and ctx.job.attempt >= ctx.job.max_attempts
        if last:
            text = (
                f"Sorry, we couldn't send the code to {issued.email}. "
                "Press “Send a new code” to try again, or use another email."
            )
            await ctx.in_transaction(lambda s: _tell(s, conversation_id, text))
        raise
