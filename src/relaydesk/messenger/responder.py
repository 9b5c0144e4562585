"""The messenger's responder: the AI agent, built on first use (loading it takes a moment)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from relaydesk.db.engine import Database
from relaydesk.settings import Settings
from relaydesk.workflows.context import ReplyLike, Responder


class LazyResponder:
    """Build ``relaydesk.agent.build_agent(settings, db)`` once, when first asked."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self._agent: Responder | None = None
        self._lock = threading.Lock()

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
        """Ask the agent."""
        return self.agent().respond(message, history=history)
