"""After a 429, every call to that system waits for its Retry-After (plus jitter); others don't.

The transport tests and the worker test run against the real sandbox over loopback HTTP, and
count the calls that reached it (``GET /_sandbox/state`` → ``calls``). Time is a settable
clock shared by the worker and the pauses, so a 30-second Retry-After takes no real time.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from relaydesk.connectors.errors import CallsPaused, RateLimited
from relaydesk.connectors.freshchat.client import FreshchatClient
from relaydesk.connectors.freshchat.runtime import close_clients
from relaydesk.connectors.freshdesk.client import FreshdeskClient, open_freshdesk_http
from relaydesk.connectors.freshdesk.connect import FreshdeskCheckFailed, check_credentials
from relaydesk.connectors.http import BearerAuth, basic_key_auth, make_client
from relaydesk.connectors.pauses import (
    DEFAULT_PAUSE_SECONDS,
    JITTER_MAX_SECONDS,
    JITTER_MIN_SECONDS,
    MAX_DEFAULT_PAUSE_SECONDS,
    MIN_PAUSE_SECONDS,
    PAUSE_CAP_SECONDS,
    RemotePauses,
    jitter_ceiling,
    pause_length,
    remote_pauses,
)
from relaydesk.conversations.actions import (
    do_append_message,
    do_create_contact,
    do_hand_off,
    do_start_conversation,
)
from relaydesk.conversations.queries import get_conversation
from relaydesk.db.engine import Database
from relaydesk.db.migrate import open_database
from relaydesk.db.models.jobs import Job
from relaydesk.jobs.worker import JobContext, Worker, build_job_context
from relaydesk.realtime.hub import build_hub
from relaydesk.sandbox import RunningSandbox
from tests.connectors.freshchat.stack import build_settings, prepare
from tests.jobs.conftest import Clock


class Seconds:
    """A settable clock in seconds, for RemotePauses."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _calls(sandbox: RunningSandbox, system: str) -> list[dict[str, Any]]:
    calls = httpx.get(f"{sandbox.url}/_sandbox/state").json()["calls"]
    return [c for c in calls if c["system"] == system]


def _http(url: str, system: str, key: str, pauses: RemotePauses) -> httpx.AsyncClient:
    """Return a client like the connectors' own, on its own pauses (and clock)."""
    auth = basic_key_auth(key) if system == "freshdesk" else BearerAuth(key)
    return make_client(url, auth, 5.0, system=system, pauses=pauses)


def _fault(sandbox: RunningSandbox, system: str, **body: Any) -> None:
    httpx.post(
        f"{sandbox.url}/_sandbox/faults", json={"system": system, "mode": "429", **body}
    ).raise_for_status()


# --- how long, and the jitter -----------------------------------------------------------------


def test_pause_length_honours_retry_after_with_a_floor_and_a_cap() -> None:
    assert pause_length(30, 1) == 30
    assert pause_length(0, 1) == MIN_PAUSE_SECONDS  # "0" still means slow down
    assert pause_length(0.2, 5) == MIN_PAUSE_SECONDS
    assert pause_length(86_400, 1) == PAUSE_CAP_SECONDS


def test_pause_without_retry_after_doubles_for_each_429_in_a_row_up_to_a_cap() -> None:
    lengths = [pause_length(None, n) for n in range(1, 9)]
    assert lengths[:4] == [DEFAULT_PAUSE_SECONDS * f for f in (1, 2, 4, 8)]
    assert lengths[-1] == MAX_DEFAULT_PAUSE_SECONDS
    assert pause_length(None, 10_000) == MAX_DEFAULT_PAUSE_SECONDS


def test_jitter_ceiling_is_small_and_bounded() -> None:
    assert jitter_ceiling(1) == JITTER_MIN_SECONDS
    assert jitter_ceiling(30) == pytest.approx(3.0)
    assert jitter_ceiling(PAUSE_CAP_SECONDS) == JITTER_MAX_SECONDS


def test_held_calls_resume_spread_over_the_jitter_after_the_pause() -> None:
    clock = Seconds()
    pauses = RemotePauses(clock, random.Random(3))
    first = pauses.rate_limited("freshchat", "http://fc:80", 30)
    assert 30 <= first <= 30 + jitter_ceiling(30)
    clock.now += 10
    waits = [pauses.wait_for("freshchat", "http://fc:80") for _ in range(200)]
    assert all(w is not None and 20 <= w <= 20 + jitter_ceiling(30) for w in waits)
    assert len({round(w or 0, 3) for w in waits}) > 100  # spread, not one instant
    assert max(w or 0 for w in waits) - min(w or 0 for w in waits) > jitter_ceiling(30) / 2
    assert pauses.wait_for("freshdesk", "http://fc:80") is None  # another system
    assert pauses.wait_for("freshchat", "http://other:80") is None  # another connection
    clock.now += 20
    assert pauses.wait_for("freshchat", "http://fc:80") is None  # the moment has passed


def test_a_later_429_only_lengthens_a_pause_and_an_answer_ends_a_run() -> None:
    clock = Seconds()
    pauses = RemotePauses(clock, random.Random(1))
    pauses.rate_limited("crm", "o", 60)
    pauses.rate_limited("crm", "o", 5)  # a call that was already in flight
    assert pauses.paused() == {("crm", "o"): 60}
    clock.now += 61
    pauses.rate_limited("crm", "o", None)  # third 429 in a row, no Retry-After
    assert pauses.paused()[("crm", "o")] == pause_length(None, 3)
    clock.now += 100
    pauses.answered("crm", "o")
    pauses.rate_limited("crm", "o", None)  # a new run starts at the default again
    assert pauses.paused()[("crm", "o")] == DEFAULT_PAUSE_SECONDS


# --- the transport, over real HTTP ------------------------------------------------------------


async def test_a_429_holds_every_client_of_that_system_and_no_other(
    sandbox: RunningSandbox,
) -> None:
    clock = Seconds()
    pauses = RemotePauses(clock, random.Random(5))
    keys = sandbox.keys

    def freshchat() -> FreshchatClient:
        return FreshchatClient(_http(sandbox.url, "freshchat", keys.freshchat_api_key, pauses))

    _fault(sandbox, "freshchat", calls=1, retry_after=30)
    async with freshchat() as one, freshchat() as two:
        with pytest.raises(RateLimited) as limited:
            await one.list_groups()
        assert not isinstance(limited.value, CallsPaused)
        assert limited.value.retry_after is not None
        assert 30 <= limited.value.retry_after <= 30 + jitter_ceiling(30)
        assert len(_calls(sandbox, "freshchat")) == 1
        clock.now += 29
        for client in (one, two):  # the same client, and another one (another job's)
            with pytest.raises(CallsPaused) as held:
                await client.list_agents()
            assert held.value.retry_after is not None
            assert 1 <= held.value.retry_after <= 1 + jitter_ceiling(30)
            assert held.value.code == "remote_rate_limited" and not held.value.permanent
        assert len(_calls(sandbox, "freshchat")) == 1  # nothing sent
        async with FreshdeskClient(
            _http(sandbox.url, "freshdesk", keys.freshdesk_api_key, pauses)
        ) as fd:
            assert await fd.list_groups()  # Freshdesk is not held
        assert [c["status"] for c in _calls(sandbox, "freshdesk")] == [200]
        clock.now += 1.001
        assert await two.list_groups()
    assert [c["status"] for c in _calls(sandbox, "freshchat")] == [429, 200]


async def test_retry_after_zero_still_pauses_a_moment(sandbox: RunningSandbox) -> None:
    clock = Seconds()
    pauses = RemotePauses(clock, random.Random(2))
    _fault(sandbox, "freshchat", calls=1, retry_after=0)
    async with FreshchatClient(
        _http(sandbox.url, "freshchat", sandbox.keys.freshchat_api_key, pauses)
    ) as fc:
        with pytest.raises(RateLimited) as limited:
            await fc.list_groups()
        assert limited.value.retry_after is not None
        assert MIN_PAUSE_SECONDS <= limited.value.retry_after
        assert limited.value.retry_after <= MIN_PAUSE_SECONDS + JITTER_MIN_SECONDS
        with pytest.raises(CallsPaused):
            await fc.list_groups()
        clock.now += MIN_PAUSE_SECONDS
        assert await fc.list_groups()
    assert [c["status"] for c in _calls(sandbox, "freshchat")] == [429, 200]


async def test_a_credential_check_during_a_pause_says_when_to_retry_without_calling(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not a job: `relaydesk connect freshdesk` (and the admin API's check) in the process that
    # just got the 429 answer at once, with the reason it already gives for a 429.
    clock = Seconds()
    monkeypatch.setattr(remote_pauses, "clock", clock)
    _fault(sandbox, "freshdesk", calls=1, retry_after=40)
    key = sandbox.keys.freshdesk_api_key
    with pytest.raises(FreshdeskCheckFailed, match=r"rate limiting .*\(429\): try again in 4\d s"):
        await check_credentials(sandbox.url, key)
    clock.now += 5
    with pytest.raises(
        FreshdeskCheckFailed, match=r"rate limiting .*\(429\): try again in 3\d s"
    ) as held:
        await check_credentials(sandbox.url, key)
    assert isinstance(held.value.__cause__, CallsPaused)
    assert [c["status"] for c in _calls(sandbox, "freshdesk")] == [429]  # nothing sent
    clock.now += 35.01
    assert (await check_credentials(sandbox.url, key)).groups
    assert [c["status"] for c in _calls(sandbox, "freshdesk")] == [429, 200, 200]


# --- jobs: held, rescheduled to the moment, then delivered once and in order -------------------


@dataclass
class Setup:
    db: Database
    ctx: JobContext
    sandbox: RunningSandbox
    clock: Clock

    async def run(self) -> None:
        await Worker(self.ctx, clock=self.clock).run_until_idle(timeout=60)

    def hand_off(self, email: str, *texts: str) -> str:
        with self.db.transaction() as session:
            conv = do_start_conversation(session, do_create_contact(session, email=email))
            for text in texts:
                do_append_message(session, conv, author="visitor", text=text)
            do_hand_off(session, conv, target="freshchat", reason="asked for a person")
            return conv.id

    def say(self, conversation_id: str, text: str) -> None:
        with self.db.transaction() as session:
            conv = get_conversation(session, conversation_id)
            do_append_message(session, conv, author="visitor", text=text)

    def jobs(self) -> list[Job]:
        with self.db.session() as session:
            jobs = list(session.query(Job).order_by(Job.id))
            for job in jobs:
                session.expunge(job)
            return jobs

    def remote_texts(self, conversation_id: str) -> list[str]:
        with self.db.session() as session:
            fcid = get_conversation(session, conversation_id).freshchat_conversation_id
        state = httpx.get(f"{self.sandbox.url}/_sandbox/state").json()
        [conv] = [c for c in state["freshchat"]["conversations"] if c["conversation_id"] == fcid]
        return [
            m["message_parts"][0]["text"]["content"]
            for m in conv["messages"]
            if m["message_type"] == "normal"
        ]


@pytest.fixture
async def setup(
    tmp_path: Path, sandbox: RunningSandbox, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Setup]:
    settings = build_settings(tmp_path, database_url=database_url)
    prepare(tmp_path, sandbox, settings)
    db = open_database(settings)
    ctx = build_job_context(settings, db, build_hub(settings))
    clock = Clock()
    # the process's pauses (the handlers' clients use them) on the worker's clock
    monkeypatch.setattr(remote_pauses, "clock", lambda: clock.now.timestamp())
    monkeypatch.setattr(remote_pauses, "rng", random.Random(11))
    try:
        yield Setup(db, ctx, sandbox, clock)
    finally:
        await close_clients(ctx.clients)
        db.dispose()


@pytest.mark.postgres
async def test_after_a_429_other_conversations_wait_without_calling_then_all_deliver(
    setup: Setup,
) -> None:
    sandbox, clock = setup.sandbox, setup.clock
    seen = {system: len(_calls(sandbox, system)) for system in ("freshchat", "freshdesk")}

    def statuses(system: str) -> list[int]:  # of the calls made since the test began
        return [c["status"] for c in _calls(sandbox, system)[seen[system] :]]

    _fault(sandbox, "freshchat", calls=1, retry_after=60)
    first = setup.hand_off("first@example.com", "A1 my order is late")
    await setup.run()
    assert statuses("freshchat") == [429]
    [left] = remote_pauses.paused().values()
    assert 50 < left <= 60
    pause_end = clock.now + timedelta(seconds=left)
    ceiling = timedelta(seconds=jitter_ceiling(60))
    # a job's run_after is read from the clock a moment after its call was held (later, never
    # earlier): a slow machine may add to the jitter, never take from the pause
    late = timedelta(seconds=2)

    # other conversations' jobs, and this one's next message, make no call while it lasts
    second = setup.hand_off("second@example.com", "B1 I was charged twice")
    third = setup.hand_off("third@example.com", "C1 where is my refund")
    setup.say(first, "A2 hello?")
    clock.advance(10)
    await setup.run()
    assert statuses("freshchat") == [429]
    jobs = setup.jobs()
    assert all(j.status == "pending" for j in jobs)
    resumes = [j.run_after for j in jobs if j.attempts > 0]
    assert len(resumes) == 3  # the first handoff (the 429) and the two held ones
    for resume in resumes:  # each at the Retry-After moment plus its own jitter
        assert pause_end - timedelta(seconds=0.05) <= resume <= pause_end + ceiling + late
    assert len(set(resumes)) == 3
    assert all("429" in (j.last_error or "") for j in jobs if j.attempts > 0)

    # Freshdesk is not held meanwhile
    async with FreshdeskClient(
        open_freshdesk_http(sandbox.url, sandbox.keys.freshdesk_api_key)
    ) as fd:
        assert await fd.list_groups()
    assert statuses("freshdesk") == [200]

    clock.advance(30)  # 20 s before the pause ends (real time passes too): still nothing
    await setup.run()
    assert statuses("freshchat") == [429]

    clock.advance(20 + jitter_ceiling(60) + 0.01)  # past the pause and every jitter
    await setup.run()
    setup.say(second, "B2 thanks")
    await setup.run()
    assert {j.status for j in setup.jobs()} == {"done"}
    made = statuses("freshchat")
    assert made[0] == 429 and made.count(429) == 1 and len(made) > 3
    assert setup.remote_texts(first) == ["A1 my order is late", "A2 hello?"]
    assert setup.remote_texts(second) == ["B1 I was charged twice", "B2 thanks"]
    assert setup.remote_texts(third) == ["C1 where is my refund"]
    state = httpx.get(f"{sandbox.url}/_sandbox/state").json()
    assert len(state["freshchat"]["conversations"]) == 3
