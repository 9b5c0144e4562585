"""What the agent returns for one message: an action, the text, and where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Action = Literal["answer", "handoff", "abstain"]


@dataclass(frozen=True)
class Source:
    """An article an answer is drawn from."""

    slug: str
    title: str
    url: str | None
    score: float

    def to_json(self) -> dict[str, Any]:
        """Return the source as JSON-ready data."""
        return {
            "slug": self.slug,
            "title": self.title,
            "url": self.url,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class AgentReply:
    """The agent's decision for one message.

    ``action`` is ``answer`` (``answer`` holds a grounded reply and ``sources`` its articles,
    best first), ``handoff`` (the customer needs a person) or ``abstain`` (the knowledge base
    does not cover it). ``confidence`` is in 0..1, ``language`` an ISO 639-1 code, and
    ``reason`` a short machine-readable explanation (for example ``asked_for_person``).
    """

    action: Action
    answer: str
    sources: tuple[Source, ...]
    confidence: float
    language: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        """Return the reply in the ``relaydesk ask --jsonl`` shape (without ``id``)."""
        return {
            "action": self.action,
            "answer": self.answer,
            "sources": [s.to_json() for s in self.sources],
            "confidence": round(self.confidence, 4),
            "language": self.language,
        }
