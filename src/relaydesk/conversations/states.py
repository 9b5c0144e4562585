"""Conversation statuses and the transitions allowed between them; who owns a conversation.

    open ──hand off──▶ with_agent (Freshchat)      any ──resolve──▶ resolved
      │                   │  ▲                       resolved ──reopen──▶ open | with_agent
      └──hand off──▶ ticketed (Freshdesk) ──────────┘

``open`` means the AI (the workflow) owns the conversation; ``with_agent`` and ``ticketed``
mean a person does (assignee ``human``). A transition to the same status is not a
transition: the actions treat it as a no-op or reject it, as each documents.
"""

from __future__ import annotations

from enum import StrEnum

from relaydesk.errors import InvalidTransition


class Status(StrEnum):
    """A conversation's public status."""

    OPEN = "open"
    WITH_AGENT = "with_agent"
    TICKETED = "ticketed"
    RESOLVED = "resolved"


class Assignee(StrEnum):
    """Who owns the conversation: the AI (the workflow) or a human agent."""

    AI = "ai"
    HUMAN = "human"


class Author(StrEnum):
    """Who wrote a message."""

    VISITOR = "visitor"
    AI = "ai"
    AGENT = "agent"
    SYSTEM = "system"


class HandoffTarget(StrEnum):
    """Where a conversation is handed off to."""

    FRESHCHAT = "freshchat"
    FRESHDESK = "freshdesk"


class Actor(StrEnum):
    """Who resolved or reopened a conversation."""

    VISITOR = "visitor"
    AI = "ai"
    AGENT = "agent"
    SYSTEM = "system"
    REMOTE = "remote"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.OPEN: frozenset({Status.WITH_AGENT, Status.TICKETED, Status.RESOLVED}),
    Status.WITH_AGENT: frozenset({Status.OPEN, Status.TICKETED, Status.RESOLVED}),
    Status.TICKETED: frozenset({Status.OPEN, Status.WITH_AGENT, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.OPEN, Status.WITH_AGENT}),
}

CLOSED_STATUSES = frozenset({Status.RESOLVED})


def can_transition(current: Status | str, new: Status | str) -> bool:
    """Tell whether a conversation may go from current to new."""
    return Status(new) in TRANSITIONS[Status(current)]


def check_transition(current: Status | str, new: Status | str) -> None:
    """Raise InvalidTransition unless a conversation may go from current to new."""
    cur, nxt = Status(current), Status(new)
    if nxt not in TRANSITIONS[cur]:
        allowed = ", ".join(sorted(TRANSITIONS[cur])) or "nothing"
        raise InvalidTransition(
            f"a conversation cannot go from {cur.value} to {nxt.value} (from {cur.value}: {allowed})"
        )
