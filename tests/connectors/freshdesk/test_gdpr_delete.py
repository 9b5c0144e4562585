"""GDPR delete while the Freshdesk ticket job is in flight: no ticket of the contact survives.

The delete commits just before Freshdesk receives the ticket, and relaydesk's Freshdesk erase
job for it finishes first (it found nothing to erase yet). A transport wrapping the real
network (the sandbox cannot pause itself) holds the ticket call until then, so the
interleaving is deterministic.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from relaydesk.conversations.actions import do_delete_contact
from relaydesk.conversations.queries import get_contact, get_conversation
from relaydesk.jobs.queries import list_jobs
from relaydesk.sandbox.server import RunningSandbox
from tests.connectors.freshdesk.stack import (
    Stack,
    Visitor,
    running_stack,
    sign_user_jwt,
    wait_until,
)
from tests.smtp import running_smtp_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, _connector_sandbox: RunningSandbox
) -> Iterator[Stack]:
    with (
        running_smtp_server() as smtp,
        running_stack(tmp_path_factory.mktemp("gdpr"), _connector_sandbox, smtp) as running,
    ):
        running.sandbox.reset()
        yield running


def _erase_jobs(stack: Stack) -> list[str]:
    with stack.db.session() as session:
        jobs = list_jobs(session, kind="contact.deleted:freshdesk")
        return [j.status for j in sorted(jobs, key=lambda j: j.id)]


class DeleteBeforeTheTicket(httpx.AsyncBaseTransport):
    """The real sandbox; before the ticket create, delete the contact and let its erase run."""

    def __init__(self, stack: Stack, conversation_id: str) -> None:
        self.stack = stack
        self.conversation_id = conversation_id
        self.deleted = False
        self.erased_first = False
        self.forwarded = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/api/v2/tickets":
            if not self.deleted:
                self.deleted = True
                with self.stack.db.transaction() as session:
                    conversation = get_conversation(session, self.conversation_id)
                    do_delete_contact(session, get_contact(session, conversation.contact_id))
                for _ in range(600):  # the erase job runs beside this one (10 s at most)
                    if _erase_jobs(self.stack) == ["done"]:
                        self.erased_first = True
                        break
                    self.stack.wake_worker()
                    await asyncio.sleep(0.02)
                self.forwarded = True
        async with httpx.AsyncHTTPTransport() as network:
            answer = await network.handle_async_request(request)
            content = await answer.aread()
        return httpx.Response(answer.status_code, headers=answer.headers, content=content)


def _freshdesk(stack: Stack) -> dict[str, Any]:
    return dict(httpx.get(f"{stack.sandbox.url}/_sandbox/state").json()["freshdesk"])


def test_a_delete_during_ticket_creation_leaves_no_ticket_in_freshdesk(stack: Stack) -> None:
    stack.use_workflow(verify_email=False)
    v = Visitor(stack, user_jwt=sign_user_jwt({"user_id": "u-late", "email": "late@example.com"}))
    v.start()
    replies = v.send(text="How do I reset my password?")
    assert any(m["sources"] for m in replies), replies
    v.send(button_id="no")
    clients = stack.app.state.worker.worker.ctx.clients
    transport = DeleteBeforeTheTicket(stack, v.conversation_id)
    clients["freshdesk_transport"] = transport
    try:
        v.send(button_id="ticket")
        wait_until(lambda: transport.forwarded, what="the ticket call, after the delete")
        assert transport.erased_first, "the erase job did not end before the ticket call"
        wait_until(lambda: _erase_jobs(stack)[:1] == ["done"], what="the first erase job")

        def erased() -> bool:
            stack.wake_worker()
            fd = _freshdesk(stack)
            posted = any(c["path"] == "/api/v2/tickets" for c in stack.ticket_posts())
            mine = [c for c in fd["contacts"] if c["email"] == "late@example.com"]
            return posted and not fd["tickets"] and not mine

        wait_until(erased, what="the ticket and its requester erased in Freshdesk")
    finally:
        clients.pop("freshdesk_transport", None)
    assert set(_erase_jobs(stack)) == {"done"}


def _ticket_in_freshdesk(stack: Stack, email: str, subject: str) -> int:
    created = httpx.post(
        f"{stack.sandbox.url}/api/v2/tickets",
        auth=(stack.sandbox.keys["freshdesk_api_key"], "X"),
        json={"email": email, "subject": subject, "description": "<p>history</p>",
              "status": 2, "priority": 1},
    )  # fmt: skip
    created.raise_for_status()
    return int(created.json()["id"])


def _delete_typed_email_contact(stack: Stack, email: str, ticket_id: int | None) -> None:
    from relaydesk.conversations.actions import do_create_contact, do_start_conversation

    with stack.db.transaction() as session:  # a visitor typed the email (not verified)
        contact = do_create_contact(session, email=email)
        conversation = do_start_conversation(session, contact)
        conversation.freshdesk_ticket_id = str(ticket_id) if ticket_id else None
        contact_id = contact.id
    before = len(_erase_jobs(stack))
    with stack.db.transaction() as session:
        do_delete_contact(session, get_contact(session, contact_id))
    stack.wake_worker()
    wait_until(lambda: _erase_jobs(stack)[before:] == ["done"], what="the Freshdesk erase job")


def test_a_typed_email_does_not_erase_another_customers_freshdesk_history(stack: Stack) -> None:
    stack.sandbox.reset()
    email = "victim@example.com"
    history = _ticket_in_freshdesk(stack, email, "My order from March")
    _delete_typed_email_contact(stack, email, None)
    fd = _freshdesk(stack)
    assert [c for c in fd["contacts"] if c["email"] == email]
    assert history in [t["id"] for t in fd["tickets"]]


def test_a_typed_email_whose_only_tickets_are_relaydesks_is_erased(stack: Stack) -> None:
    stack.sandbox.reset()
    email = "typed-own@example.com"
    ours = _ticket_in_freshdesk(stack, email, "How do I reset my password?")
    _delete_typed_email_contact(stack, email, ours)
    fd = _freshdesk(stack)
    assert [c for c in fd["contacts"] if c["email"] == email] == []
    assert ours not in [t["id"] for t in fd["tickets"]]
