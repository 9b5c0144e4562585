"""The messenger's responder: the AI agent, built on first use (loading it takes a moment)."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

from relaydesk.db.engine import Database
from relaydesk.settings import Settings
from relaydesk.workflows.context import ReplyLike, Responder


def cpu_count() -> int:
    """Return the number of CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) or 1


class LazyResponder:
    """Build ``relaydesk.agent.build_agent(settings, db)`` once, when first asked.

    At most ``concurrency`` questions (default: one per CPU) are answered at a time: the
    agent is CPU work, and more threads than cores only make each answer slower (they
    take turns on the interpreter lock and the cores), so the others wait their turn.
    """

    def __init__(self, settings: Settings, db: Database, *, concurrency: int | None = None) -> None:
        self.settings = settings
        self.db = db
        self._agent: Responder | None = None
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(concurrency or cpu_count())

    def agent(self) -> Responder:
        """Return the agent, building it on the first call."""
        agent = self._agent
        if agent is None:
            with self._lock:
                agent = self._agent
                if agent is None:
                    from relaydesk.agent import build_agent

                    agent = self._agent = build_agent(self.settings, self.db)
        return agent

    def respond(self, message: str, *, history: Sequence[tuple[str, str]] = ()) -> ReplyLike:
        """Ask the agent (waiting for a free slot)."""
        agent = self.agent()
        with self._slots:
            return agent.respond(message, history=history)


class PreparedResponder:
    """Answer one question with a reply computed earlier; ask ``inner`` for anything else.

    The messenger asks the agent *before* its write transaction (so the database is not
    locked while the CPU works) and hands the reply to the engine through this.
    """

    def __init__(self, inner: Responder, question: str, reply: ReplyLike) -> None:
        self.inner = inner
        self.question = question
        self.reply = reply
        self.used = False

    def respond(self, message: str, *, history: Sequence[tuple[str, str]] = ()) -> ReplyLike:
        """Return the prepared reply for the prepared question, once; else ask inner."""
        if not self.used and message.strip() == self.question.strip():
            self.used = True
            return self.reply
        return self.inner.respond(message, history=history)
