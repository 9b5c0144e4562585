"""relaydesk killed between a Freshchat call and the commit that records it, then restarted.

A kill is simulated by a ``BaseException`` raised where the job would commit what Freshchat
answered: the worker cannot record anything, so the job stays ``running`` under a lease, as
after a real crash. Once the lease has expired a new worker (the restarted relaydesk) runs it
again, and the retry must find what the first try created instead of creating it twice.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from relaydesk.connectors.freshchat.runtime import close_clients
from relaydesk.conversations.actions import (
    do_append_message,
    do_create_contact,
    do_hand_off,
    do_start_conversation,
)
from relaydesk.conversations.queries import get_conversation
from relaydesk.db.base import utcnow
from relaydesk.db.engine import Database
from relaydesk.db.migrate import open_database
from relaydesk.db.models.jobs import Job
from relaydesk.jobs.worker import Worker, build_job_context
from relaydesk.realtime.hub import build_hub
from relaydesk.sandbox import RunningSandbox
from tests.connectors.freshchat.stack import KillingContext, SimulatedKill, build_settings, prepare


def _contexts(root: Path, sandbox: RunningSandbox, kill_at: str) -> tuple[Database, Any, Any]:
    settings = build_settings(root)
    prepare(root, sandbox, settings)
    db = open_database(settings)
    base = build_job_context(settings, db, build_hub(settings))
    killing = KillingContext(
        settings=base.settings, db=base.db, hub=base.hub, secrets=base.secrets, kill_at=kill_at
    )
    return db, base, killing


def _expire_leases(db: Database) -> int:
    with db.transaction() as session:
        result = session.execute(
            update(Job)
            .where(Job.status == "running")
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


def _remote(sandbox: RunningSandbox) -> list[dict[str, Any]]:
    state = httpx.get(f"{sandbox.url}/_sandbox/state").json()
    return list(state["freshchat"]["conversations"])


def _texts(conv: dict[str, Any], kind: str = "normal") -> list[str]:
    return [
        m["message_parts"][0]["text"]["content"]
        for m in conv["messages"]
        if m["message_type"] == kind
    ]


async def test_killed_after_creating_the_conversation(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    db, base, killing = _contexts(tmp_path, sandbox, kill_at="link")
    try:
        with db.transaction() as session:
            conv = do_start_conversation(session, do_create_contact(session, email="k@example.com"))
            do_append_message(session, conv, author="visitor", text="My order never came")
            do_append_message(session, conv, author="ai", text="I'm sorry to hear that.")
            do_append_message(session, conv, author="visitor", text="Let me talk to someone")
            conversation_id = conv.id
        await Worker(base).run_until_idle()  # deliver nothing yet: not handed off
        with db.transaction() as session:
            do_hand_off(
                session,
                get_conversation(session, conversation_id),
                target="freshchat",
                reason="asked for a person",
            )
        with pytest.raises(SimulatedKill):
            await Worker(killing, worker_id="killed").run_until_idle()
        assert len(_remote(sandbox)) == 1  # Freshchat has it; relaydesk never recorded it
        with db.session() as session:
            assert get_conversation(session, conversation_id).freshchat_conversation_id is None
        assert _expire_leases(db) == 1
        await Worker(base, worker_id="restarted").run_until_idle()
        [remote] = _remote(sandbox)
        with db.session() as session:
            linked = get_conversation(session, conversation_id).freshchat_conversation_id
        assert linked == remote["conversation_id"]
        assert _texts(remote) == [
            "My order never came",
            "I'm sorry to hear that.",
            "Let me talk to someone",
        ]
        assert len(_texts(remote, "private")) == 1
        with db.session() as session:
            jobs = session.query(Job).all()
        assert {j.status for j in jobs} <= {"done", "skipped"}
    finally:
        await close_clients(base.clients)
        await close_clients(killing.clients)
        db.dispose()


async def test_killed_after_posting_a_message(tmp_path: Path, sandbox: RunningSandbox) -> None:
    db, base, killing = _contexts(tmp_path, sandbox, kill_at="write")
    try:
        with db.transaction() as session:
            conv = do_start_conversation(session, do_create_contact(session))
            do_append_message(session, conv, author="visitor", text="Hello")
            do_hand_off(session, conv, target="freshchat", reason="asked for a person")
            conversation_id = conv.id
        await Worker(base).run_until_idle()
        with db.transaction() as session:
            conv = get_conversation(session, conversation_id)
            do_append_message(session, conv, author="visitor", text="Are you there?")
        with pytest.raises(SimulatedKill):
            await Worker(killing, worker_id="killed").run_until_idle()
        [remote] = _remote(sandbox)
        assert _texts(remote) == ["Hello", "Are you there?"]  # posted, but not recorded
        assert _expire_leases(db) == 1
        with db.transaction() as session:
            conv = get_conversation(session, conversation_id)
            do_append_message(session, conv, author="visitor", text="Hello again")
        await Worker(base, worker_id="restarted").run_until_idle()
        [remote] = _remote(sandbox)
        assert _texts(remote) == ["Hello", "Are you there?", "Hello again"]
    finally:
        await close_clients(base.clients)
        await close_clients(killing.clients)
        db.dispose()


async def test_deleted_contact_is_deleted_in_freshchat_and_the_crm(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    from relaydesk.connectors.freshchat.setup import store_freshchat
    from relaydesk.conversations.actions import do_delete_contact
    from relaydesk.conversations.queries import get_contact

    db, base, killing = _contexts(tmp_path, sandbox, kill_at="")
    try:
        store_freshchat(  # connect the CRM too
            db,
            base.secrets,
            base_url=sandbox.url,
            api_key=sandbox.keys.freshchat_api_key,
            webhook_public_key=sandbox.keys.webhook_public_key_pem,
            crm_base_url=sandbox.url,
            crm_api_key=sandbox.keys.crm_api_key,
        )
        with db.transaction() as session:
            contact = do_create_contact(session, email="jane@example.com", name="Jane")
            contact.email_verified = True  # (a one-time code): only then is the CRM told
            conv = do_start_conversation(session, contact)
            do_append_message(session, conv, author="visitor", text="Hello")
            do_hand_off(session, conv, target="freshchat", reason="asked for a person")
            contact_id = contact.id
        await Worker(base).run_until_idle()
        state = httpx.get(f"{sandbox.url}/_sandbox/state").json()
        assert len(state["freshchat"]["users"]) == 1
        with db.transaction() as session:
            do_delete_contact(session, get_contact(session, contact_id))
        await Worker(base).run_until_idle()
        state = httpx.get(f"{sandbox.url}/_sandbox/state").json()
        assert state["freshchat"]["users"] == [] and state["freshchat"]["conversations"] == []
        assert all(c["email"] != "jane@example.com" for c in state["crm"]["contacts"])
        with db.session() as session:
            assert {j.status for j in session.query(Job).all()} <= {"done", "skipped"}
    finally:
        await close_clients(base.clients)
        await close_clients(killing.clients)
        db.dispose()


def test_agent_replies_while_relaydesk_is_down_arrive_once_it_is_back(tmp_path: Path) -> None:
    """Freshchat retries its webhooks; relaydesk, restarted, takes each one exactly once."""
    from relaydesk.sandbox import start_sandbox
    from tests.connectors.freshchat.stack import Visitor, serve_stack, wait_until

    with start_sandbox(webhook_retry_delays=(1.0, 2.0, 3.0, 4.0, 5.0)) as sandbox:
        settings = build_settings(tmp_path)
        prepare(tmp_path, sandbox, settings)
        with serve_stack(tmp_path, sandbox, settings) as stack:
            port = int(stack.url.rsplit(":", 1)[1])
            visitor = Visitor(stack)
            fcid = visitor.hand_off()
            stack.idle()
            token, conversation_id = visitor.token, visitor.conversation_id
        for text in ("First reply while you were away.", "Second one."):
            httpx.post(
                f"{sandbox.url}/_sandbox/freshchat/conversations/{fcid}/reply", json={"text": text}
            ).raise_for_status()
        with serve_stack(tmp_path, sandbox, settings, port=port) as stack:
            back = Visitor(stack)
            back.token, back.conversation_id = token, conversation_id
            back.http.headers["Authorization"] = f"Bearer {token}"

            def arrived() -> bool:
                stack.wake()
                return "Second one." in back.texts()

            wait_until(arrived, 30, "the replies Freshchat redelivered")
            stack.idle()
            texts = back.texts()
            assert texts.count("First reply while you were away.") == 1
            assert texts.count("Second one.") == 1
            assert texts.index("First reply while you were away.") < texts.index("Second one.")


async def test_dead_letter_retried_by_an_admin_does_not_post_twice(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    """The retry starts again at attempt 1: the intent mark, not the counter, says 'look first'."""
    from relaydesk.jobs.queries import retry_dead_job

    db, base, killing = _contexts(tmp_path, sandbox, kill_at="write")
    try:
        with db.transaction() as session:
            conv = do_start_conversation(session, do_create_contact(session))
            do_append_message(session, conv, author="visitor", text="Hello")
            do_hand_off(session, conv, target="freshchat", reason="asked for a person")
            conversation_id = conv.id
        await Worker(base).run_until_idle()
        with db.transaction() as session:
            do_append_message(
                session,
                get_conversation(session, conversation_id),
                author="visitor",
                text="Still waiting",
            )
        with pytest.raises(SimulatedKill):
            await Worker(killing, worker_id="killed").run_until_idle()
        with db.transaction() as session:  # as if it had run out of tries
            job = session.query(Job).filter(Job.status == "running").one()
            job.status, job.last_error = "dead", "TransportFailed: timed out"
            job_id = job.id
        with db.transaction() as session:
            retry_dead_job(session, job_id)
        await Worker(base, worker_id="after-retry").run_until_idle()
        [remote] = _remote(sandbox)
        assert _texts(remote) == ["Hello", "Still waiting"]
        with db.session() as session:
            assert session.get(Job, job_id).status == "done"  # type: ignore[union-attr]
    finally:
        await close_clients(base.clients)
        await close_clients(killing.clients)
        db.dispose()
