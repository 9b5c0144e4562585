"""A small deterministic responder for engine tests (the real agent has its own tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    slug: str
    title: str
    url: str | None
    score: float = 1.0


@dataclass(frozen=True)
class Reply:
    action: str
    answer: str = ""
    sources: tuple[Source, ...] = ()
    confidence: float = 0.9
    language: str = "en"
    reason: str = ""


@dataclass
class ScriptedResponder:
    """Answers by keyword: 'human' → handoff, 'unknown' → abstain, else an answer citing 'refunds'.

    'template' answers with a text holding a placeholder. The language is German ('de') when
    the message has the word 'bitte', else English.
    """

    calls: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)

    def respond(self, message: str, *, history: Sequence[tuple[str, str]] = ()) -> Reply:
        self.calls.append((message, list(history)))
        lowered = message.lower()
        language = "de" if "bitte" in lowered.split() else "en"
        if "human" in lowered or "person" in lowered:
            return Reply("handoff", reason="the customer asked for a person", language=language)
        if "template" in lowered:
            return Reply("answer", answer="Write {contact.name} in the greeting field.")
        if "unknown" in lowered:
            return Reply("abstain", reason="not covered by the knowledge base")
        return Reply(
            "answer",
            answer="Refunds take 5 business days.",
            sources=(Source("refunds", "Refunds", "https://help.example.com/refunds"),),
        )
