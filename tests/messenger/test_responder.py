"""The messenger's responder: the agent built once, and at most N answers at a time."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

from relaydesk.db.engine import Database
from relaydesk.messenger.responder import LazyResponder, PreparedResponder, cpu_count
from relaydesk.settings import Settings


class CountingAgent:
    """An agent that records how many answers run at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0

    def respond(self, message: str, *, history: Sequence[tuple[str, str]] = ()) -> object:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.02)
        with self.lock:
            self.running -= 1
        return SimpleNamespace(action="answer", answer=message)


def _ask_many(responder: LazyResponder, n: int) -> None:
    with ThreadPoolExecutor(max_workers=n) as pool:
        list(pool.map(lambda i: responder.respond(f"question {i}"), range(n)))


def test_at_most_concurrency_answers_run_at_once(settings: Settings, db: Database) -> None:
    agent = CountingAgent()
    responder = LazyResponder(settings, db, concurrency=2)
    responder._agent = agent  # type: ignore[assignment]
    _ask_many(responder, 8)
    assert agent.most == 2


def test_the_default_is_one_answer_per_cpu(settings: Settings, db: Database) -> None:
    agent = CountingAgent()
    responder = LazyResponder(settings, db)
    responder._agent = agent  # type: ignore[assignment]
    _ask_many(responder, cpu_count() + 4)
    assert 1 <= agent.most <= cpu_count()


def test_a_prepared_reply_is_used_once_for_its_question(settings: Settings, db: Database) -> None:
    agent = CountingAgent()
    inner = LazyResponder(settings, db)
    inner._agent = agent  # type: ignore[assignment]
    prepared = PreparedResponder(inner, "where is my order?", SimpleNamespace(answer="prepared"))
    assert prepared.respond(" where is my order? ").answer == "prepared"  # type: ignore[attr-defined]
    assert prepared.respond("where is my order?").answer == "where is my order?"  # type: ignore[attr-defined]
