"""The one-time-code email job: makes the code only when emailing it, over real SMTP."""

from __future__ import annotations

import pytest

from relaydesk.conversations.queries import list_messages
from relaydesk.db.base import utcnow
from relaydesk.db.engine import Database
from relaydesk.db.models.security import OneTimeCode
from relaydesk.jobs.errors import PermanentFailure
from relaydesk.jobs.worker import build_job_context
from relaydesk.realtime.hub import build_hub
from relaydesk.security.actions import do_check_code, do_request_code
from relaydesk.security.handlers import NO_MAIL_TEXT, email_code_job
from relaydesk.settings import Settings
from tests.factories import make_contact, make_conversation
from tests.smtp import Inbox


def _reserve(db: Database, email: str) -> tuple[str, str]:
    with db.transaction() as session:
        conv = make_conversation(session, make_contact(session, email=email))
        row = do_request_code(session, subject=f"conversation:{conv.id}", email=email, now=utcnow())
        return conv.id, row.id


async def test_emails_a_fresh_code_that_then_verifies(
    settings: Settings, db: Database, smtp_server: Inbox
) -> None:
    conv_id, code_id = _reserve(db, "job@example.com")
    with db.session() as session:
        row = session.get(OneTimeCode, code_id)
        assert row is not None and row.code_hash == ""  # nothing to leak before the email
    configured = settings.model_copy(
        update={"smtp_host": smtp_server.host, "smtp_port": smtp_server.port}
    )
    ctx = build_job_context(configured, db, build_hub(configured))
    await email_code_job(ctx, {"code_id": code_id, "conversation_id": conv_id})
    code = smtp_server.last_code("job@example.com")
    with db.transaction() as session:
        result = do_check_code(
            session, subject=f"conversation:{conv_id}", candidate=code, now=utcnow()
        )
    assert result.ok


@pytest.mark.postgres
async def test_without_smtp_the_visitor_is_told_and_the_job_is_permanent(
    settings: Settings, db: Database
) -> None:
    conv_id, code_id = _reserve(db, "nomail@example.com")
    ctx = build_job_context(settings, db, build_hub(settings))
    with pytest.raises(PermanentFailure):
        await email_code_job(ctx, {"code_id": code_id, "conversation_id": conv_id})
    with db.session() as session:
        assert list_messages(session, conv_id)[-1].text == NO_MAIL_TEXT
