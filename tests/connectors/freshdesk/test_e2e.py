"""End to end: the messenger, the ticket block, the worker, the sandbox as Freshdesk, real SMTP.

Each test talks to relaydesk over HTTP like the widget does and checks what reached the
sandbox's Freshdesk and the SMTP server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from relaydesk.config.actions import do_set_product_setting
from relaydesk.config.keys import PREVENT_REPLIES_WHEN_CLOSED
from relaydesk.connectors.freshdesk.handlers import HANDOFF_KEY, load_ticket_job
from relaydesk.conversations.actions import do_delete_contact, do_resolve
from relaydesk.conversations.queries import get_contact, get_conversation, list_messages
from relaydesk.conversations.states import Actor
from relaydesk.db.base import utcnow
from relaydesk.jobs.queries import list_jobs, retry_dead_job
from relaydesk.sandbox.server import RunningSandbox
from relaydesk.security.secrets import load_secret_box
from relaydesk.workflows.actions import do_activate_workflow
from relaydesk.workflows.default import default_workflow
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
        running_stack(tmp_path_factory.mktemp("e2e"), _connector_sandbox, smtp) as running,
    ):
        yield running


@pytest.fixture
def fresh(stack: Stack) -> Iterator[Stack]:
    """The stack with the sandbox reset, no faults, the clock at real time."""
    stack.sandbox.reset()
    stack.clock.offset = stack.clock.offset * 0
    yield stack
    httpx.delete(f"{stack.sandbox.url}/_sandbox/faults")


def ticket_for(stack: Stack, conversation_id: str) -> dict[str, Any]:
    marker = ("rd-" + conversation_id)[:32]
    found = [t for t in stack.tickets() if marker in t.get("tags", [])]
    assert len(found) == 1, f"{len(found)} tickets for the conversation"
    return found[0]


def to_ticket_offer(v: Visitor) -> None:
    """Ask a question the AI answers from the article, say it did not help: the offer."""
    v.start()
    replies = v.send(text="How do I reset my password?")
    assert any(m["sources"] for m in replies), replies
    offer = v.send(button_id="no")
    assert [b["label"] for b in offer[-1]["buttons"]] == ["Create a ticket", "Human agent"]


def ticket_number(v: Visitor) -> int:
    msg = v.wait_for_text("has been created")
    found = re.search(r"ticket #(\d+)", msg["text"])
    assert found, msg
    return int(found.group(1))


def test_ticket_has_transcript_mapped_fields_and_jwt_visitor_skips_code(fresh: Stack) -> None:
    fresh.use_workflow(verify_email=True)
    token = sign_user_jwt(
        {
            "user_id": "u-100",
            "email": "dana@example.com",
            "name": "Dana <Ops>",
            "plan": "Enterprise",
            "account_id": "ACME-9",
            "seats": "12",
        }
    )
    v = Visitor(fresh, user_jwt=token)
    to_ticket_offer(v)
    replies = v.send(button_id="ticket")
    assert not any(m.get("input") for m in replies)  # no email, no code asked
    assert "creating a ticket" in replies[-1]["text"]
    assert v.conversation()["status"] == "ticketed"
    number = ticket_number(v)
    ticket = ticket_for(fresh, v.conversation_id)
    assert ticket["id"] == number
    assert ticket["subject"] == "How do I reset my password?"
    assert ticket["group_id"] == fresh.group_id
    assert ticket["priority"] == 2 and ticket["source"] == 7
    assert {"relaydesk", "chat"} <= set(ticket["tags"])
    assert ticket["custom_fields"]["cf_plan"] == "Enterprise"
    assert ticket["custom_fields"]["cf_account_id"] == "ACME-9"
    assert ticket["custom_fields"]["cf_seats"] == 12
    description = ticket["description"]
    assert "How do I reset my password?" in description
    assert "Dana &lt;Ops&gt;" in description and "<Ops>" not in description
    assert '<a href="https://help.example.com/articles/reset-your-password"' in description
    assert "AI agent" in description and "(verified)" in description
    assert "https://shop.example.com/help" in description  # the page it started on
    contacts = httpx.get(f"{fresh.sandbox.url}/_sandbox/state").json()["freshdesk"]["contacts"]
    requester = next(c for c in contacts if c["id"] == ticket["requester_id"])
    assert requester["email"] == "dana@example.com"
    assert fresh.smtp.to("dana@example.com") == []


def test_setting_off_asks_no_code(fresh: Stack) -> None:
    fresh.use_workflow(verify_email=False)
    v = Visitor(fresh)
    to_ticket_offer(v)
    ask = v.send(button_id="ticket")
    assert ask[-1]["input"]["field"] == "email"
    done = v.send(text="Off.Setting@example.com")
    assert all((m.get("input") or {}).get("field") != "otp" for m in done)
    number = ticket_number(v)
    ticket = ticket_for(fresh, v.conversation_id)
    assert ticket["id"] == number and "(not verified)" in ticket["description"]
    assert fresh.smtp.to("off.setting@example.com") == []


def start_verification(stack: Stack, email: str) -> Visitor:
    stack.use_workflow(verify_email=True)
    v = Visitor(stack)
    to_ticket_offer(v)
    v.send(button_id="ticket")
    asked = v.send(text=email)
    assert asked[-1]["input"] == {"field": "otp", "label": "6-digit code"}
    assert email.lower() in asked[-1]["text"]
    assert [b["id"] for b in asked[-1]["buttons"]] == ["otp_resend", "otp_change_email"]
    return v


def test_right_code_creates_the_ticket(fresh: Stack) -> None:
    v = start_verification(fresh, "right.code@example.com")
    code = fresh.smtp.last_code("right.code@example.com")
    assert fresh.tickets() == []  # nothing before the code
    replies = v.send(text=code)
    texts = [m["text"] for m in replies]
    assert "Thanks, your email is confirmed." in texts
    assert v.conversation()["status"] == "ticketed"
    ticket_number(v)
    ticket = ticket_for(fresh, v.conversation_id)
    assert "(verified)" in ticket["description"]
    assert code not in ticket["description"]  # the code is never copied


def test_wrong_code_says_attempts_left_then_right_code_works(fresh: Stack) -> None:
    v = start_verification(fresh, "wrong.code@example.com")
    code = fresh.smtp.last_code("wrong.code@example.com")
    wrong = "000000" if code != "000000" else "111111"
    replies = v.send(text=wrong)
    assert replies[-1]["text"] == "That code isn't right. You have 4 attempts left."
    assert replies[-1]["input"]["field"] == "otp"
    nonsense = v.send(text="I did not get it")
    assert nonsense[-1]["text"] == "Please type the 6-digit code from the email."
    assert v.conversation()["status"] == "open"
    v.send(text=code)
    ticket_number(v)
    assert ticket_for(fresh, v.conversation_id)


def test_expired_code_offers_a_new_one(fresh: Stack) -> None:
    v = start_verification(fresh, "expired.code@example.com")
    code = fresh.smtp.last_code("expired.code@example.com")
    fresh.clock.advance(minutes=11)
    replies = v.send(text=code)
    assert "expired" in replies[-1]["text"]
    assert [b["label"] for b in replies[-1]["buttons"]][0] == "Send a new code"
    assert v.conversation()["status"] == "open"
    again = v.send(button_id="otp_resend")
    assert "new code" in again[-1]["text"]
    new_code = fresh.smtp.last_code("expired.code@example.com", count=2)
    v.send(text=new_code)
    ticket_number(v)


def test_too_many_attempts_exhaust_the_code(fresh: Stack) -> None:
    v = start_verification(fresh, "many.tries@example.com")
    code = fresh.smtp.last_code("many.tries@example.com")
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        assert f"{left} attempt" in v.send(text=wrong)[-1]["text"]
    last = v.send(text=wrong)
    assert "Too many wrong attempts" in last[-1]["text"]
    # even the right code is refused now
    assert "Too many wrong attempts" in v.send(text=code)[-1]["text"]
    assert v.conversation()["status"] == "open" and fresh.tickets() == []
    fresh.clock.advance(seconds=61)
    v.send(button_id="otp_resend")
    v.send(text=fresh.smtp.last_code("many.tries@example.com", count=2))
    ticket_number(v)


def test_resend_is_rate_limited_and_replaces_the_code(fresh: Stack) -> None:
    v = start_verification(fresh, "resend@example.com")
    first = fresh.smtp.last_code("resend@example.com")
    too_soon = v.send(button_id="otp_resend")
    assert re.search(r"ask for a new one in \d+ seconds", too_soon[-1]["text"]), too_soon
    fresh.clock.advance(seconds=61)
    v.send(button_id="otp_resend")
    second = fresh.smtp.last_code("resend@example.com", count=2)
    assert len(fresh.smtp.to("resend@example.com")) == 2
    if second != first:
        assert "isn't right" in v.send(text=first)[-1]["text"]
    v.send(text=second)
    ticket_number(v)


@pytest.mark.parametrize("mode", ["down", "429"])
def test_freshdesk_failing_during_creation_creates_one_ticket_later(
    fresh: Stack, mode: str
) -> None:
    fresh.use_workflow(verify_email=False)
    v = Visitor(
        fresh, user_jwt=sign_user_jwt({"user_id": f"u-{mode}", "email": f"{mode}@example.com"})
    )
    to_ticket_offer(v)
    # a number of calls, not seconds: a slow machine may start the job after a timed outage
    fault: dict[str, Any] = {"system": "freshdesk", "mode": mode, "calls": 2}
    httpx.post(f"{fresh.sandbox.url}/_sandbox/faults", json=fault).raise_for_status()
    replies = v.send(button_id="ticket")
    assert "creating a ticket" in replies[-1]["text"]
    pending = v.wait_for_text("being created")
    assert pending["author"] == "system"
    number = ticket_number(v)
    ticket = ticket_for(fresh, v.conversation_id)
    assert ticket["id"] == number
    assert len(fresh.tickets()) == 1
    assert len([c for c in fresh.ticket_posts() if c["status"] == 201]) == 1
    calls = httpx.get(f"{fresh.sandbox.url}/_sandbox/state").json()["calls"]
    expected = 503 if mode == "down" else 429
    assert any(c["system"] == "freshdesk" and c["status"] == expected for c in calls), calls


def test_an_outage_longer_than_the_jobs_attempts_still_gives_one_ticket(fresh: Stack) -> None:
    # Freshdesk stays down for more tries than RELAYDESK_JOB_MAX_ATTEMPTS (12 tries with the
    # default back-off is about 10 minutes): the ticket is still made once it is back, and the
    # visitor is never told it failed.
    settings = fresh.settings
    saved = (
        settings.job_max_attempts,
        settings.job_backoff_base_seconds,
        settings.job_backoff_cap_seconds,
    )
    settings.job_max_attempts = 2
    settings.job_backoff_base_seconds = settings.job_backoff_cap_seconds = 0.05
    try:
        fresh.use_workflow(verify_email=False)
        v = Visitor(
            fresh, user_jwt=sign_user_jwt({"user_id": "u-long", "email": "long@example.com"})
        )
        to_ticket_offer(v)
        fault = {"system": "freshdesk", "mode": "down", "calls": 6}
        httpx.post(f"{fresh.sandbox.url}/_sandbox/faults", json=fault).raise_for_status()
        v.send(button_id="ticket")
        number = ticket_number(v)
    finally:
        (
            settings.job_max_attempts,
            settings.job_backoff_base_seconds,
            settings.job_backoff_cap_seconds,
        ) = saved
    assert "couldn't create your ticket" not in " ".join(v.texts())
    assert [t["id"] for t in fresh.tickets()] == [number]
    state = httpx.get(f"{fresh.sandbox.url}/_sandbox/state").json()
    assert len([c for c in state["calls"] if c["status"] == 503]) == 6
    with fresh.db.session() as session:
        kinds = {j.kind: j.status for j in list_jobs(session, status="dead")}
    assert "conversation.handed_off:freshdesk_ticket" not in kinds


def test_a_first_try_does_not_spend_a_ticket_list_call(fresh: Stack) -> None:
    # Freshdesk's "Tickets list" quota is the smallest (20 a minute on Growth, a quarter of
    # the ticket-create quota): the exactly-once lookup is needed only when an earlier run of
    # the job may have created the ticket.
    fresh.use_workflow(verify_email=False)
    v = Visitor(fresh, user_jwt=sign_user_jwt({"user_id": "u-q", "email": "quota@example.com"}))
    to_ticket_offer(v)
    v.send(button_id="ticket")
    number = ticket_number(v)
    calls = httpx.get(f"{fresh.sandbox.url}/_sandbox/state").json()["calls"]
    lists = [c for c in calls if c["method"] == "GET" and c["path"] == "/api/v2/tickets"]
    assert lists == []
    assert [t["id"] for t in fresh.tickets()] == [number]


def test_later_visitor_messages_become_ticket_notes(fresh: Stack) -> None:
    fresh.use_workflow(verify_email=False)
    v = Visitor(fresh, user_jwt=sign_user_jwt({"user_id": "u-notes", "email": "notes@example.com"}))
    to_ticket_offer(v)
    v.send(button_id="ticket")
    number = ticket_number(v)
    notice = v.wait_for_text("has been created")["text"]
    assert "reply by email to notes@example.com" in notice and "added to the ticket" in notice
    v.send(text="Also: my order number is <b>#42</b>")

    def noted() -> bool:
        state = httpx.get(f"{fresh.sandbox.url}/_sandbox/state").json()["freshdesk"]
        ticket = next(t for t in state["tickets"] if t["id"] == number)
        return any("#42" in (c.get("body") or "") for c in ticket.get("conversations", []))

    fresh.wake_worker()
    wait_until(noted, what="the note on the ticket")


class LoseFirstAnswer(httpx.AsyncBaseTransport):
    """Send every request to the real sandbox, but lose the answer to the first POST whose
    path ends with path_end (the call is made; its answer times out on the way back).

    The sandbox cannot produce this failure, so this wraps the real network transport
    instead of replacing it.
    """

    def __init__(self, path_end: str) -> None:
        self.path_end = path_end
        self.lost = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        async with httpx.AsyncHTTPTransport() as network:
            answer = await network.handle_async_request(request)
            content = await answer.aread()
        lose = request.method == "POST" and request.url.path.endswith(self.path_end)
        if lose and not self.lost:
            self.lost += 1
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return httpx.Response(answer.status_code, headers=answer.headers, content=content)


def test_lost_answer_to_the_create_call_still_gives_one_ticket(fresh: Stack) -> None:
    fresh.use_workflow(verify_email=False)
    clients = fresh.app.state.worker.worker.ctx.clients
    lossy = LoseFirstAnswer("/api/v2/tickets")
    clients["freshdesk_transport"] = lossy
    try:
        v = Visitor(
            fresh, user_jwt=sign_user_jwt({"user_id": "u-lost", "email": "lost@example.com"})
        )
        to_ticket_offer(v)
        v.send(button_id="ticket")
        number = ticket_number(v)
    finally:
        clients.pop("freshdesk_transport", None)
    assert lossy.lost == 1
    assert [t["id"] for t in fresh.tickets()] == [number]
    assert len(fresh.ticket_posts()) == 1  # the retry found the ticket instead of re-creating


def test_lost_answer_to_a_note_still_gives_one_note(fresh: Stack) -> None:
    fresh.use_workflow(verify_email=False)
    v = Visitor(fresh, user_jwt=sign_user_jwt({"user_id": "u-ln", "email": "ln@example.com"}))
    to_ticket_offer(v)
    v.send(button_id="ticket")
    number = ticket_number(v)
    clients = fresh.app.state.worker.worker.ctx.clients
    lossy = LoseFirstAnswer("/notes")
    clients["freshdesk_transport"] = lossy
    try:
        v.send(text="My order number is 4711")

        def notes() -> list[dict[str, Any]]:
            state = httpx.get(f"{fresh.sandbox.url}/_sandbox/state").json()["freshdesk"]
            ticket = next(t for t in state["tickets"] if t["id"] == number)
            return [c for c in ticket.get("conversations", []) if "4711" in (c["body"] or "")]

        def relayed() -> bool:
            fresh.wake_worker()
            with fresh.db.session() as session:
                jobs = list_jobs(session, kind="message.created:freshdesk_note")
                return bool(jobs) and all(j.status == "done" for j in jobs)

        wait_until(relayed, what="the note job to finish")
    finally:
        clients.pop("freshdesk_transport", None)
    assert lossy.lost == 1
    assert len(notes()) == 1


def test_a_dead_note_retried_by_an_admin_is_not_added_twice(fresh: Stack) -> None:
    # The note's answer is lost and the job is dead-lettered (no tries left); an admin retries
    # it, and the run counts as a first try again: it must still check the ticket first.
    fresh.use_workflow(verify_email=False)
    v = Visitor(fresh, user_jwt=sign_user_jwt({"user_id": "u-dn", "email": "dn@example.com"}))
    to_ticket_offer(v)
    v.send(button_id="ticket")
    number = ticket_number(v)
    settings = fresh.settings
    saved = (settings.job_max_attempts, settings.job_retry_window_seconds)
    clients = fresh.app.state.worker.worker.ctx.clients
    lossy = LoseFirstAnswer("/notes")
    clients["freshdesk_transport"] = lossy
    kind = "message.created:freshdesk_note"

    def note_job_status() -> str | None:
        fresh.wake_worker()
        with fresh.db.session() as session:
            key = f"freshdesk:{v.conversation_id}"
            found = list_jobs(session, kind=kind, ordering_key=key)
            return found[0].status if found else None

    try:
        settings.job_max_attempts, settings.job_retry_window_seconds = 1, 0
        v.send(text="The serial number is SN-8812")
        wait_until(lambda: note_job_status() == "dead", what="the note job to die")
        settings.job_max_attempts, settings.job_retry_window_seconds = saved
        with fresh.db.transaction() as session:
            key = f"freshdesk:{v.conversation_id}"
            retry_dead_job(session, list_jobs(session, kind=kind, ordering_key=key)[0].id)
        wait_until(lambda: note_job_status() == "done", what="the retried note job")
    finally:
        settings.job_max_attempts, settings.job_retry_window_seconds = saved
        clients.pop("freshdesk_transport", None)
    state = httpx.get(f"{fresh.sandbox.url}/_sandbox/state").json()["freshdesk"]
    ticket = next(t for t in state["tickets"] if t["id"] == number)
    notes = [c for c in ticket.get("conversations", []) if "SN-8812" in (c["body"] or "")]
    assert lossy.lost == 1
    assert len(notes) == 1


def test_out_of_office_hours_the_ticket_path_is_offered_alone(fresh: Stack) -> None:
    day = (utcnow() + timedelta(days=2)).strftime("%a").lower()
    closed_now = {"timezone": "UTC", "weekly": {day: [["09:00", "10:00"]]}}
    with fresh.db.transaction() as session:
        do_activate_workflow(session, default_workflow())
        do_set_product_setting(session, "office_hours", closed_now)
    try:
        v = Visitor(fresh)
        v.start()
        v.send(text="How do I reset my password?")
        after = v.send(button_id="no")
        texts = [m["text"] for m in after]
        assert any("away right now" in t for t in texts), texts
        assert not any(b["label"] == "Human agent" for m in after for b in m["buttons"])
        assert after[-1]["input"]["field"] == "email"
        v.send(text="after.hours@example.com")
        ticket_number(v)
        assert ticket_for(fresh, v.conversation_id)
    finally:
        with fresh.db.transaction() as session:
            do_set_product_setting(session, "office_hours", {"always": True})


def test_changing_the_email_retires_the_old_code(fresh: Stack) -> None:
    v = start_verification(fresh, "first.address@example.com")
    old_code = fresh.smtp.last_code("first.address@example.com")
    asked = v.send(button_id="otp_change_email")
    assert asked[-1]["input"]["field"] == "email"
    limited = v.send(text="second.address@example.com")
    assert "ask for a new one in" in limited[-1]["text"]  # the resend limit still holds
    # the code sent to the first address cannot verify the second one
    refused = v.send(text=old_code)
    assert "no code waiting" in refused[-1]["text"]
    assert v.conversation()["status"] == "open"
    fresh.clock.advance(seconds=61)
    v.send(button_id="otp_resend")
    v.send(text=fresh.smtp.last_code("second.address@example.com"))
    ticket_number(v)
    ticket = ticket_for(fresh, v.conversation_id)
    assert "second.address@example.com (verified)" in ticket["description"]


def test_reopened_conversation_handed_off_again_goes_to_the_same_ticket(fresh: Stack) -> None:
    fresh.use_workflow(verify_email=False)
    v = Visitor(fresh, user_jwt=sign_user_jwt({"user_id": "u-again", "email": "again@example.com"}))
    to_ticket_offer(v)
    v.send(button_id="ticket")
    number = ticket_number(v)
    with fresh.db.transaction() as session:
        messages = list_messages(session, v.conversation_id)
        notice = next(m for m in messages if HANDOFF_KEY in (m.meta or {}))
        # a rerun of the same handoff job finds its own notice and does nothing
        box = load_secret_box(fresh.settings)
        rerun = load_ticket_job(
            session, box, v.conversation_id, handoff_id=notice.meta[HANDOFF_KEY]
        )
        assert rerun is None
        do_resolve(session, get_conversation(session, v.conversation_id), by=Actor.AGENT)
        do_set_product_setting(session, PREVENT_REPLIES_WHEN_CLOSED.key, False)
    try:
        v.send(text="How do I reset my password? The link expired.")
    finally:
        with fresh.db.transaction() as session:
            do_set_product_setting(
                session, PREVENT_REPLIES_WHEN_CLOSED.key, PREVENT_REPLIES_WHEN_CLOSED.default
            )
    offer = v.send(button_id="no")
    assert offer[-1]["buttons"]
    v.send(button_id="ticket")
    v.wait_for_text(f"added this conversation to your ticket #{number}")
    assert [t["id"] for t in fresh.tickets()] == [number]
    state = httpx.get(f"{fresh.sandbox.url}/_sandbox/state").json()["freshdesk"]
    ticket = next(t for t in state["tickets"] if t["id"] == number)
    bodies = [c.get("body") or "" for c in ticket.get("conversations", [])]
    assert any("The link expired." in b for b in bodies), bodies


def _freshdesk_contacts(stack: Stack, email: str) -> list[dict[str, Any]]:
    contacts = httpx.get(f"{stack.sandbox.url}/_sandbox/state").json()["freshdesk"]["contacts"]
    return [c for c in contacts if c["email"] == email]


def _forget_jobs(stack: Stack) -> list[str]:
    """Return the statuses of the Freshdesk erase jobs, oldest first."""
    with stack.db.session() as session:
        jobs = list_jobs(session, kind="contact.deleted:freshdesk")
        return [j.status for j in sorted(jobs, key=lambda j: j.id)]


def _delete_visitor_and_wait_for_freshdesk(stack: Stack, visitor: Visitor) -> None:
    """Delete the visitor's contact (GDPR) and wait until its Freshdesk erase job is done."""
    before = len(_forget_jobs(stack))
    with stack.db.transaction() as session:
        conversation = get_conversation(session, visitor.conversation_id)
        do_delete_contact(session, get_contact(session, conversation.contact_id))
    stack.wake_worker()
    wait_until(lambda: _forget_jobs(stack)[before:] == ["done"], what="the Freshdesk erase job")


def test_deleting_a_contact_erases_it_and_its_tickets_in_freshdesk(fresh: Stack) -> None:
    fresh.use_workflow(verify_email=True)
    token = sign_user_jwt({"user_id": "u-gdpr", "email": "erin@example.com", "name": "Erin"})
    v = Visitor(fresh, user_jwt=token)
    to_ticket_offer(v)
    v.send(button_id="ticket")
    number = ticket_number(v)
    ticket = ticket_for(fresh, v.conversation_id)
    assert ticket["id"] == number
    assert _freshdesk_contacts(fresh, "erin@example.com")
    _delete_visitor_and_wait_for_freshdesk(fresh, v)
    assert _freshdesk_contacts(fresh, "erin@example.com") == []
    assert ticket["id"] not in [t["id"] for t in fresh.tickets()]
    deletes = [
        c["path"]
        for c in httpx.get(f"{fresh.sandbox.url}/_sandbox/state").json()["calls"]
        if c["system"] == "freshdesk" and c["method"] == "DELETE"
    ]
    assert deletes == [
        f"/api/v2/contacts/{ticket['requester_id']}",
        f"/api/v2/contacts/{ticket['requester_id']}/hard_delete",
    ]


def test_a_contact_freshdesk_never_saw_is_erased_without_error(fresh: Stack) -> None:
    v = Visitor(fresh, user_jwt=sign_user_jwt({"user_id": "u-x", "email": "nobody@example.com"}))
    v.start()
    _delete_visitor_and_wait_for_freshdesk(fresh, v)
