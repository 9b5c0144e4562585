"""Outgoing email over SMTP (stdlib ``smtplib``), used for one-time verification codes.

``Mailer.from_settings`` reads ``smtp_host/port/from/user/password/tls``. Sending runs in a
worker thread so the event loop never blocks on the SMTP server.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from relaydesk.errors import Unavailable
from relaydesk.settings import Settings

log = logging.getLogger(__name__)


class MailNotConfigured(Unavailable):
    """No SMTP server is configured (RELAYDESK_SMTP_HOST is unset)."""

    code = "mail_not_configured"


class MailFailed(Unavailable):
    """The SMTP server could not be reached or refused the message."""

    code = "mail_failed"


@dataclass(frozen=True)
class Mailer:
    """Send email through one SMTP server."""

    host: str
    port: int = 25
    sender: str = "relaydesk@localhost"
    user: str | None = None
    password: str | None = None
    tls: str = "none"  # none | starttls | tls
    timeout: float = 15.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Mailer:
        """Build the mailer from settings; raise MailNotConfigured without an SMTP host."""
        if not settings.smtp_host:
            raise MailNotConfigured("email is not configured: set RELAYDESK_SMTP_HOST")
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            user=settings.smtp_user,
            password=(
                settings.smtp_password.get_secret_value() if settings.smtp_password else None
            ),
            tls=settings.smtp_tls,
        )

    def compose(self, *, to: str, subject: str, text: str) -> EmailMessage:
        """Return a plain-text message from this mailer's sender."""
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = to
        msg["Subject"] = subject
        msg["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        msg.set_content(text)
        return msg

    def send_now(self, message: EmailMessage) -> None:
        """Send message, blocking; raise MailFailed with the reason when it cannot."""
        try:
            if self.tls == "tls":
                context = ssl.create_default_context()
                with smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=context
                ) as smtp:
                    self._deliver(smtp, message)
            else:
                with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                    if self.tls == "starttls":
                        smtp.starttls(context=ssl.create_default_context())
                    self._deliver(smtp, message)
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("email not sent", extra={"smtp_host": self.host, "error": str(exc)})
            raise MailFailed(f"the email could not be sent: {exc}") from exc

    def _deliver(self, smtp: smtplib.SMTP, message: EmailMessage) -> None:
        if self.user:
            smtp.login(self.user, self.password or "")
        smtp.send_message(message)

    async def send(self, message: EmailMessage) -> None:
        """Send message without blocking the event loop."""
        await asyncio.to_thread(self.send_now, message)


def otp_email(mailer: Mailer, *, to: str, code: str, minutes: int) -> EmailMessage:
    """Return the email that carries a one-time verification code."""
    text = (
        f"Your verification code is {code}\n\n"
        f"Type it in the chat window to confirm your email address. "
        f"It expires in {minutes} minutes and can be used once.\n\n"
        "If you did not ask for this code, ignore this email.\n"
    )
    return mailer.compose(to=to, subject=f"Your verification code: {code}", text=text)
