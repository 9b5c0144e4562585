"""GDPR delete while a Freshchat handoff job is in flight: nothing of the contact is left.

The delete commits at a precise point of the handoff: an httpx response hook on the job's
real client (to the real sandbox) runs it when Freshchat answers the named call, so the
interleaving is deterministic. No mocks: the sandbox, the worker and the database are real.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from relaydesk.connectors.freshchat.runtime import open_runtime
from relaydesk.conversations.actions import (
    do_append_message,
    do_create_contact,
    do_delete_contact,
    do_hand_off,
    do_start_conversation,
)
from relaydesk.conversations.queries import get_contact
from relaydesk.db.engine import Database
from relaydesk.jobs.worker import JobContext, Worker
from relaydesk.sandbox import RunningSandbox
from tests.connectors.freshchat.stack import freshchat_ids, job_context

pytestmark = pytest.mark.postgres


@dataclass
class Setup:
    db: Database
    ctx: JobContext
    sandbox: RunningSandbox

    def freshchat(self) -> dict[str, Any]:
        state = httpx.get(f"{self.sandbox.url}/_sandbox/state").json()
        return dict(state["freshchat"])


@pytest.fixture
async def setup(tmp_path: Path, sandbox: RunningSandbox, database_url: str) -> AsyncIterator[Setup]:
    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()
    async with job_context(tmp_path, sandbox, database_url) as (db, ctx):
        yield Setup(db, ctx, sandbox)


def _handed_off(db: Database, email: str) -> str:
    with db.transaction() as session:
        contact = do_create_contact(session, name="Erin Erased", email=email)
        conversation = do_start_conversation(session, contact)
        do_append_message(session, conversation, author="visitor", text="my IBAN is DE89 3704")
        do_hand_off(session, conversation, target="freshchat", reason="asked for a person")
        return contact.id


async def _delete_when(setup: Setup, contact_id: str, method: str, path: str) -> list[str]:
    """Delete the contact (GDPR) right after Freshchat answers method path; return a log."""
    rt = await open_runtime(setup.ctx)
    assert rt is not None
    done: list[str] = []

    async def hook(response: httpx.Response) -> None:
        request = response.request
        if done or request.method != method or request.url.path != path:
            return
        with setup.db.transaction() as session:
            do_delete_contact(session, get_contact(session, contact_id))
        done.append(f"{method} {path} -> {response.status_code}")

    rt.client.http.event_hooks["response"].append(hook)
    return done


@pytest.mark.parametrize(("method", "path"), [("POST", "/v2/users"), ("POST", "/v2/conversations")])
async def test_a_delete_during_the_handoff_leaves_nothing_in_freshchat(
    setup: Setup, method: str, path: str
) -> None:
    email = "erin@example.com"
    contact_id = _handed_off(setup.db, email)
    done = await _delete_when(setup, contact_id, method, path)
    await Worker(setup.ctx).run_until_idle(timeout=30)
    assert done, "the delete did not happen during the handoff"
    fc = setup.freshchat()
    assert [u for u in fc["users"] if u.get("email") == email] == []
    assert fc["conversations"] == []


async def test_the_erase_waits_out_a_freshchat_outage(setup: Setup) -> None:
    import asyncio
    import time

    from relaydesk.jobs.queries import list_jobs

    email = "outage@example.com"
    contact_id = _handed_off(setup.db, email)
    await Worker(setup.ctx).run_until_idle(timeout=30)
    assert [u for u in setup.freshchat()["users"] if u.get("email") == email]
    httpx.post(
        f"{setup.sandbox.url}/_sandbox/faults",
        json={"system": "freshchat", "mode": "down", "calls": 3},
    ).raise_for_status()
    try:
        with setup.db.transaction() as session:
            do_delete_contact(session, get_contact(session, contact_id))

        def erase_job() -> tuple[str, int]:
            with setup.db.session() as session:
                [job] = list_jobs(session, kind="contact.deleted:freshchat")
                return job.status, job.attempts

        deadline = time.monotonic() + 30
        while erase_job()[0] != "done" and time.monotonic() < deadline:
            await Worker(setup.ctx).run_until_idle(timeout=5)
            await asyncio.sleep(0.1)  # the back-off (0.2 s base) makes the retry due
    finally:
        httpx.delete(f"{setup.sandbox.url}/_sandbox/faults").raise_for_status()
    status, attempts = erase_job()
    assert status == "done" and attempts > 1
    fc = setup.freshchat()
    assert [u for u in fc["users"] if u.get("email") == email] == []
    assert fc["conversations"] == []


async def test_a_webhook_after_the_delete_does_not_bring_the_contact_back(setup: Setup) -> None:
    from sqlalchemy import select

    from relaydesk.connectors.freshchat.receiver import accept_event
    from relaydesk.connectors.freshchat.schemas import WebhookEvent
    from relaydesk.conversations.queries import find_conversation_by_freshchat_id
    from relaydesk.db.models.contacts import Contact
    from relaydesk.sandbox import events
    from relaydesk.sandbox.freshchat_actions import new_message

    async def deliver(event: dict[str, Any]) -> None:
        with setup.db.transaction() as session:
            assert accept_event(session, WebhookEvent.model_validate(event), retry_count=None)
        await Worker(setup.ctx).run_until_idle(timeout=30)

    channel = freshchat_ids(setup.sandbox)["channel"]
    started = httpx.post(  # a customer writes in Freshchat's own widget; the AI answers
        f"{setup.sandbox.url}/_sandbox/freshchat/user-message",
        json={
            "text": "How do I reset my password?",
            "email": "w@example.com",
            "channel_id": channel,
        },
    ).json()
    fcid = started["conversation_id"]
    conv = setup.sandbox.state.freshchat.conversations[fcid]
    await deliver(events.message_create(started["message"]))
    with setup.db.transaction() as session:
        found = find_conversation_by_freshchat_id(session, fcid)
        assert found is not None
        do_delete_contact(session, get_contact(session, found.contact_id))
    with setup.db.transaction() as session:  # the erase waits for its retry (Freshchat down)
        from datetime import timedelta

        from relaydesk.db.base import utcnow
        from relaydesk.db.models.jobs import Job

        [erase] = session.scalars(select(Job).where(Job.kind == "contact.deleted:freshchat"))
        erase.run_after = utcnow() + timedelta(hours=1)
        erase_id = erase.id
    # the customer writes again before Freshchat has erased the conversation
    late = new_message(
        setup.sandbox.sandbox,
        conv,
        parts=[{"text": {"content": "Are you still there?"}}],
        actor_type="user",
        actor_id=started["user"]["id"],
    )
    await deliver(events.message_create(late))
    with setup.db.session() as session:
        assert find_conversation_by_freshchat_id(session, fcid) is None
        assert list(session.scalars(select(Contact))) == []
        [job] = session.scalars(select(Job).where(Job.kind == "freshchat.webhook:process",
                                                   Job.id > erase_id))  # fmt: skip
        assert job.status == "done"  # it was processed (and ignored), not failed


@pytest.fixture
async def with_crm(
    tmp_path: Path, sandbox: RunningSandbox, database_url: str
) -> AsyncIterator[Setup]:
    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()
    async with job_context(tmp_path, sandbox, database_url, crm=True) as (db, ctx):
        yield Setup(db, ctx, sandbox)


@pytest.mark.parametrize("verified", [False, True])
async def test_the_crm_forgets_only_a_verified_email(with_crm: Setup, verified: bool) -> None:
    setup = with_crm
    email = "ceo@bigcustomer.example"
    httpx.post(  # the company's own CRM record of a customer
        f"{setup.sandbox.url}/_sandbox/crm/contacts",
        json={"email": email, "first_name": "Casey"},
    ).raise_for_status()
    with setup.db.transaction() as session:  # a visitor who typed it, or who proved it
        contact = do_create_contact(session, email=email, external_id=None)
        contact.email_verified = verified
        contact_id = contact.id
    with setup.db.transaction() as session:
        do_delete_contact(session, get_contact(session, contact_id))
    await Worker(setup.ctx).run_until_idle(timeout=30)
    crm = httpx.get(f"{setup.sandbox.url}/_sandbox/state").json()["crm"]["contacts"]
    kept = [c for c in crm if (c.get("email") or "").lower() == email]
    assert bool(kept) is not verified  # a typed email never erases someone's CRM record
