"""Delivery that loses nothing: Freshchat down, 429 storms, 500s, slow answers, a killed worker.

Each test ends with every message in Freshchat exactly once and in order.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from relaydesk.sandbox import RunningSandbox
from tests.connectors.freshchat.stack import Stack, Visitor, running_stack, wait_until

pytestmark = pytest.mark.slow


def _texts(stack: Stack, fcid: str, message_type: str = "normal") -> list[str]:
    return [
        m["message_parts"][0]["text"]["content"]
        for m in stack.fc_conversation(fcid)["messages"]
        if m["message_type"] == message_type
    ]


def _assert_exactly_once_in_order(stack: Stack, visitor: Visitor, fcid: str) -> None:
    local = [
        m["text"].strip() for m in visitor.conversation()["messages"] if m["author"] != "agent"
    ]
    remote = _texts(stack, fcid)
    assert len(remote) == len(local), (remote, local)
    for got, want in zip(remote, local, strict=True):
        assert got.startswith(want[:40]), (got, want)
    assert len(_texts(stack, fcid, "private")) == 1
    assert len(stack.fc_conversations()) == 1
    assert not stack.jobs("dead")


def _start_handoff(visitor: Visitor) -> None:
    visitor.start()
    replies = visitor.send(text="How do I reset my password?")
    if not any(b["id"] == "human" for m in replies for b in m.get("buttons") or []):
        visitor.send(text="I want to talk to a human")


@pytest.fixture
def stack(tmp_path: Path, sandbox: RunningSandbox) -> Iterator[Stack]:
    with running_stack(tmp_path, sandbox, settings={"http_timeout_seconds": 0.6}) as running:
        yield running


def test_freshchat_down_in_the_middle_of_a_handoff(stack: Stack) -> None:
    _down_during_handoff(stack, outage=3)


def test_freshchat_down_for_30_seconds_during_a_handoff(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    # Back-off as in production (base 1 s), capped at 4 s so the test ends soon after the
    # outage; 30 tries cover the outage many times over.
    settings = {
        "http_timeout_seconds": 0.6,
        "job_backoff_base_seconds": 1.0,
        "job_backoff_cap_seconds": 4.0,
    }
    with running_stack(tmp_path, sandbox, settings=settings) as stack:
        _down_during_handoff(stack, outage=30)


def _failed_calls(stack: Stack) -> list[dict[str, Any]]:
    return [c for c in stack.state()["calls"] if c["system"] == "freshchat" and c["status"] == 503]


def _down_during_handoff(stack: Stack, *, outage: int) -> None:
    # Freshchat stays down until the test brings it back (not for a number of seconds): on a
    # slow machine the messages below could otherwise be sent after a timed outage ended.
    visitor = Visitor(stack)
    _start_handoff(visitor)
    stack.fault("down")
    down_since = time.monotonic()
    visitor.send(button_id="human")
    for i in range(3):
        visitor.send(text=f"still there? {i}")
    wait_until(lambda: _failed_calls(stack), 30, "the handoff to try while Freshchat is down")
    assert stack.fc_conversations() == []
    time.sleep(max(0.0, outage - (time.monotonic() - down_since)))
    stack.clear_faults()
    fcid = wait_until(visitor.freshchat_id, 60, "the handoff after Freshchat came back")
    stack.idle()
    _assert_exactly_once_in_order(stack, visitor, fcid)


def test_429_storm_is_waited_out(stack: Stack) -> None:
    visitor = Visitor(stack)
    _start_handoff(visitor)
    stack.fault("429", calls=6)
    visitor.send(button_id="human")
    visitor.send(text="hello?")
    fcid = wait_until(visitor.freshchat_id, 40, "the handoff")
    visitor.send(text="anyone?")
    stack.idle(40)
    _assert_exactly_once_in_order(stack, visitor, fcid)
    limited = [c for c in stack.state()["calls"] if c["status"] == 429]
    assert len(limited) == 6
    # each retry after a 429 waited the Retry-After (1 s) the sandbox sent
    stack.app.state.integration_log.flush(5)
    from relaydesk.connectors.queries import list_integration_log

    with stack.db.session() as session:
        entries = sorted(
            list_integration_log(session, system="freshchat", limit=1000),
            key=lambda e: e.created_at,
        )
    by_job: dict[int, list[Any]] = {}
    for entry in entries:
        if entry.job_id is not None:
            by_job.setdefault(entry.job_id, []).append(entry)
    waits = [
        (calls[i + 1].created_at - call.created_at).total_seconds()
        for calls in by_job.values()
        for i, call in enumerate(calls[:-1])
        if call.status == 429
    ]
    assert waits and min(waits) >= 0.9, waits


def test_500s_are_retried(stack: Stack) -> None:
    visitor = Visitor(stack)
    fcid = visitor.hand_off()
    stack.idle()
    stack.fault("500", calls=4)
    for i in range(3):
        visitor.send(text=f"message {i}")
    stack.idle(40)
    _assert_exactly_once_in_order(stack, visitor, fcid)


def test_slow_answers_that_time_out_are_not_sent_twice(stack: Stack) -> None:
    # Freshchat carries out each request but answers after relaydesk gave up (0.6 s):
    # the retries must find what was already created instead of creating it again.
    visitor = Visitor(stack)
    _start_handoff(visitor)
    stack.fault("slow", seconds=1.2, calls=8)
    visitor.send(button_id="human")
    fcid = wait_until(visitor.freshchat_id, 60, "the handoff")
    stack.fault("slow", seconds=1.2, calls=3)
    visitor.send(text="one")
    visitor.send(text="two")
    stack.idle(60)
    time.sleep(1.5)  # let the last slow request land
    stack.idle(60)
    _assert_exactly_once_in_order(stack, visitor, fcid)
    users = stack.state()["freshchat"]["users"]
    assert len(users) == 1
    stack.app.state.integration_log.flush(5)
    from relaydesk.connectors.queries import list_integration_log

    with stack.db.session() as session:
        errors = list_integration_log(session, system="freshchat", errors_only=True, limit=500)
    timed_out = [e for e in errors if "ReadTimeout" in (e.error or "")]
    assert any(e.method == "POST" for e in timed_out), [(e.method, e.path) for e in errors]


def test_replayed_and_forged_webhooks_change_nothing(stack: Stack) -> None:
    visitor = Visitor(stack)
    fcid = visitor.hand_off()
    stack.idle()
    stack.control(f"/freshchat/conversations/{fcid}/reply", {"text": "Agent here."})
    wait_until(lambda: "Agent here." in visitor.texts(), what="the agent's reply")
    stack.idle()
    delivery = next(
        d for d in stack.sandbox.state.deliveries
        if d["action"] == "message_create" and d["payload"]["data"]["message"]["actor_type"] == "agent"
        and d["payload"]["actor"]["actor_id"] != stack.ids["ai_agent"]
    )  # fmt: skip
    body = json.dumps(delivery["payload"], ensure_ascii=False, separators=(",", ":")).encode()
    signature = stack.sandbox.state.signer.sign(body)
    url = f"{stack.url}/webhooks/freshchat"
    replay = httpx.post(url, content=body, headers={"X-Freshchat-Signature": signature})
    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    forged = body.replace(b"Agent here.", b"Send me your password.")
    bad = httpx.post(url, content=forged, headers={"X-Freshchat-Signature": signature})
    assert bad.status_code == 401
    unsigned = httpx.post(url, content=body)
    assert unsigned.status_code == 401
    stack.idle()
    assert visitor.texts().count("Agent here.") == 1
    assert not any("password." in t and "Send me" in t for t in visitor.texts())


def test_rejected_delivery_is_dead_lettered_with_the_error_visible(stack: Stack) -> None:
    stack.configure(escalation_group_id="no-such-group")
    visitor = Visitor(stack)
    _start_handoff(visitor)
    visitor.send(button_id="human")

    def dead() -> list[Any]:
        stack.wake()
        return stack.jobs("dead")

    jobs = wait_until(dead, 30, "the handoff job to be dead-lettered")
    assert jobs[0].kind == "conversation.handed_off:freshchat"
    assert "404" in (jobs[0].last_error or "")
    stack.app.state.integration_log.flush(5)
    from relaydesk.connectors.queries import list_integration_log

    with stack.db.session() as session:
        errors = list_integration_log(session, system="freshchat", errors_only=True)
    assert any(e.status == 404 and e.job_id == jobs[0].id for e in errors)
    from typer.testing import CliRunner

    from relaydesk.cli import app as cli

    shown = CliRunner().invoke(
        cli,
        ["logs", "--system", "freshchat", "--data-dir", str(stack.settings.data_dir)],
        env={"RELAYDESK_DATABASE_URL": stack.settings.resolved_database_url},
    )
    assert shown.exit_code == 0, shown.output
    assert "dead-lettered deliveries:" in shown.stdout
    assert f"job {jobs[0].id} conversation.handed_off:freshchat" in shown.stdout
