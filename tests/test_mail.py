"""The mailer against a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from relaydesk.mail import Mailer, MailFailed, MailNotConfigured, otp_email
from relaydesk.settings import Settings
from tests.smtp import Inbox, running_smtp_server


@pytest.fixture
def smtp_server() -> Iterator[Inbox]:
    with running_smtp_server() as inbox:
        yield inbox


async def test_sends_the_code_email(smtp_server: Inbox, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        smtp_from="help@shop.test",
    )
    mailer = Mailer.from_settings(settings)
    await mailer.send(otp_email(mailer, to="jane@example.test", code="042917", minutes=10))
    (msg,) = smtp_server.wait_for("jane@example.test")
    assert msg["From"] == "help@shop.test"
    assert "042917" in msg["Subject"]
    assert smtp_server.last_code("jane@example.test") == "042917"


def test_unconfigured_mailer_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MailNotConfigured):
        Mailer.from_settings(Settings(data_dir=tmp_path))


async def test_unreachable_server_fails_clearly() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    mailer = Mailer(host="127.0.0.1", port=port, timeout=2)
    with pytest.raises(MailFailed, match="could not be sent"):
        await mailer.send(mailer.compose(to="a@b.test", subject="x", text="y"))
