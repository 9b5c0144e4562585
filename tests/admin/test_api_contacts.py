"""Admin API for contacts' personal data: find, export, delete (GDPR)."""

from __future__ import annotations

import httpx
import pytest

from relaydesk.conversations.actions import (
    do_append_message,
    do_create_contact,
    do_start_conversation,
)
from relaydesk.db.engine import Database
from relaydesk.jobs.queries import list_jobs
from relaydesk.settings import Settings

pytestmark = pytest.mark.postgres


def _two_contacts_with_one_email(db: Database) -> tuple[str, str]:
    with db.transaction() as session:
        anonymous = do_create_contact(session, email="Dana@Example.com")
        verified = do_create_contact(
            session, email="dana@example.com", external_id="u-7", verified=True
        )
        conversation = do_start_conversation(session, verified)
        do_append_message(session, conversation, author="visitor", text="my order is late")
        do_append_message(session, conversation, author="ai", text="Sorry about that!")
        return anonymous.id, verified.id


async def test_find_by_email_returns_every_contact_with_it(
    api: httpx.AsyncClient, db: Database
) -> None:
    anonymous, verified = _two_contacts_with_one_email(db)
    found = await api.get("/admin/api/v1/contacts", params={"email": "DANA@example.com "})
    assert found.status_code == 200
    assert [c["id"] for c in found.json()["contacts"]] == [anonymous, verified]
    by_user = await api.get("/admin/api/v1/contacts", params={"external_id": "u-7"})
    assert [c["id"] for c in by_user.json()["contacts"]] == [verified]
    none = await api.get("/admin/api/v1/contacts", params={"email": "nobody@example.com"})
    assert none.json()["contacts"] == []


async def test_find_needs_an_email_or_external_id(api: httpx.AsyncClient) -> None:
    missing = await api.get("/admin/api/v1/contacts")
    assert missing.status_code == 400
    assert missing.json()["ok"] is False and "email or external_id" in missing.json()["error"]
    blank = await api.get("/admin/api/v1/contacts", params={"email": "  "})
    assert blank.status_code == 400


async def test_export_gives_the_contact_and_its_conversations(
    api: httpx.AsyncClient, db: Database
) -> None:
    _, verified = _two_contacts_with_one_email(db)
    exported = await api.get(f"/admin/api/v1/contacts/{verified}/export")
    assert exported.status_code == 200
    body = exported.json()
    assert body["contact"]["email"] == "dana@example.com"
    [conversation] = body["conversations"]
    assert [m["text"] for m in conversation["messages"]] == [
        "my order is late",
        "Sorry about that!",
    ]


async def test_delete_removes_the_contact_and_queues_the_remote_deletions(
    api: httpx.AsyncClient, db: Database
) -> None:
    anonymous, verified = _two_contacts_with_one_email(db)
    deleted = await api.delete(f"/admin/api/v1/contacts/{verified}")
    assert deleted.status_code == 200
    assert deleted.json()["deleted"] == verified and deleted.json()["tombstone_id"]
    gone = await api.get(f"/admin/api/v1/contacts/{verified}/export")
    assert gone.status_code == 404 and gone.json()["code"] == "contact_not_found"
    left = await api.get("/admin/api/v1/contacts", params={"email": "dana@example.com"})
    assert [c["id"] for c in left.json()["contacts"]] == [anonymous]
    with db.session() as session:
        kinds = {j.kind for j in list_jobs(session)}
    assert "contact.deleted:crm" in kinds  # the CRM is told by email (when connected)


async def test_unknown_contact_is_a_404_and_no_token_a_401(
    api: httpx.AsyncClient, settings: Settings, db: Database
) -> None:
    for call in (
        api.get("/admin/api/v1/contacts/nope/export"),
        api.delete("/admin/api/v1/contacts/nope"),
    ):
        response = await call
        assert response.status_code == 404 and response.json()["code"] == "contact_not_found"
    anonymous = await api.delete(
        "/admin/api/v1/contacts/nope", headers={"Authorization": "Bearer wrong"}
    )
    assert anonymous.status_code == 401


def _contact_with_a_code(db: Database) -> tuple[str, str]:
    """A contact whose ticket handoff emailed a one-time code; return (contact, conversation)."""
    from datetime import UTC, datetime

    from relaydesk.security.actions import do_issue_code

    with db.transaction() as session:
        contact = do_create_contact(session, email="otp@example.com")
        conversation = do_start_conversation(session, contact, page_url="https://shop.test/a")
        do_append_message(session, conversation, author="visitor", text="refund please")
        do_issue_code(
            session,
            subject=f"conversation:{conversation.id}",
            email="otp@example.com",
            now=datetime.now(UTC),
        )
        return contact.id, conversation.id


async def test_delete_erases_the_contacts_one_time_codes(
    api: httpx.AsyncClient, db: Database
) -> None:
    from sqlalchemy import select

    from relaydesk.db.models.security import OneTimeCode

    contact, _ = _contact_with_a_code(db)
    deleted = await api.delete(f"/admin/api/v1/contacts/{contact}")
    assert deleted.status_code == 200
    with db.session() as session:
        emails = list(session.scalars(select(OneTimeCode.email)))
    assert "otp@example.com" not in emails  # the address must not outlive the contact


async def test_export_includes_codes_sessions_and_remote_ids(
    api: httpx.AsyncClient, db: Database
) -> None:
    from relaydesk.conversations.actions import do_create_visitor_session

    contact, conversation = _contact_with_a_code(db)
    with db.transaction() as session:
        from relaydesk.conversations.queries import get_contact, get_conversation

        do_create_visitor_session(session, get_contact(session, contact), "https://shop.test/b")
        row = get_conversation(session, conversation)
        row.freshchat_user_id = "fc-user-1"
    body = (await api.get(f"/admin/api/v1/contacts/{contact}/export")).json()
    [exported] = body["conversations"]
    assert exported["freshchat_user_id"] == "fc-user-1"
    [code] = exported["one_time_codes"]
    assert code["email"] == "otp@example.com" and code["attempts"] == 0
    assert "code_hash" not in code
    assert [s["page_url"] for s in body["visitor_sessions"]] == ["https://shop.test/b"]
    assert "token_hash" not in body["visitor_sessions"][0]


async def test_delete_leaves_no_visitor_data_in_the_logs_or_the_job_table(
    api: httpx.AsyncClient, db: Database
) -> None:
    from relaydesk.db.models.connectors import IntegrationLogEntry
    from relaydesk.db.models.jobs import Job

    with db.transaction() as session:
        contact = do_create_contact(session, email="card@example.com")
        conversation = do_start_conversation(session, contact)
        conversation.freshchat_conversation_id = "fc-conv-9"
        secret = "my card is 4111 1111 1111 1111"
        jobs = [
            Job(kind="conversation.handed_off:freshchat", status="done",
                ordering_key=f"freshchat:{conversation.id}", payload={"reason": secret}),
            Job(kind="conversation.handed_off:freshdesk", status="dead", last_error="boom",
                ordering_key=f"freshdesk:{conversation.id}", payload={"reason": secret}),
            Job(kind="freshchat.webhook:process", status="done",
                ordering_key="freshchat-in:fc-conv-9", payload={"event": {"text": secret}}),
        ]  # fmt: skip
        session.add_all(jobs)
        session.flush()
        for job in jobs:
            session.add(
                IntegrationLogEntry(system="freshchat", method="POST", path="/v2/conversations",
                                    status=500, request_body=secret, job_id=job.id)
            )  # fmt: skip
        other = Job(kind="x", status="done", ordering_key="freshchat:other", payload={"a": 1})
        session.add(other)
        session.flush()
        session.add(IntegrationLogEntry(system="crm", method="GET", path="/keep", job_id=other.id))
    deleted = await api.delete(f"/admin/api/v1/contacts/{contact.id}")
    assert deleted.status_code == 200
    log = (await api.get("/admin/api/v1/logs", params={"limit": 1000})).json()["entries"]
    assert [e["path"] for e in log] == ["/keep"]  # another contact's calls stay
    dead = (await api.get("/admin/api/v1/logs/dead-letters")).json()["jobs"]
    assert dead == []  # nothing of the deleted contact can be retried
    with db.session() as session:
        from sqlalchemy import select

        payloads = [str(j.payload) for j in session.scalars(select(Job))]
    assert not [p for p in payloads if "4111" in p]
