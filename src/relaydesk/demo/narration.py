"""The demo's terminal story: one line per notable event, written by ordinary job handlers.

``install_narration(write)`` registers a "demo_narration" concern for a few events, so the
lines come from the same outbox the connectors use, after each change is committed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from relaydesk.jobs.handlers import handler
from relaydesk.jobs.worker import JobContext

CONCERN = "demo_narration"


def _short(conversation_id: str) -> str:
    return conversation_id[:8]


def _is_agent_message(_session: Session, payload: dict[str, Any]) -> bool:
    return payload.get("author") == "agent" and not payload.get("private")


def install_narration(write: Callable[[str], None]) -> None:
    """Register the narration handlers; each calls write with one line of the story."""

    def line(text: str) -> None:
        write(f"{datetime.now():%H:%M:%S}  {text}")

    @handler("conversation.started", CONCERN)
    async def started(_ctx: JobContext, payload: dict[str, Any]) -> None:
        where = payload.get("channel") or "messenger"
        line(f"conversation {_short(payload['conversation_id'])} started ({where})")

    @handler("conversation.handed_off", CONCERN)
    async def handed_off(_ctx: JobContext, payload: dict[str, Any]) -> None:
        target = (
            "Freshchat (live agent)" if payload["target"] == "freshchat" else "Freshdesk (ticket)"
        )
        line(f"conversation {_short(payload['conversation_id'])} handed off to {target}")

    @handler("message.created", CONCERN, when=_is_agent_message)
    async def agent_replied(_ctx: JobContext, payload: dict[str, Any]) -> None:
        line(f"conversation {_short(payload['conversation_id'])}: agent replied")

    @handler("conversation.resolved", CONCERN)
    async def resolved(_ctx: JobContext, payload: dict[str, Any]) -> None:
        line(f"conversation {_short(payload['conversation_id'])} resolved (by {payload['by']})")
