"""Auto-resolve: a conversation waiting on the customer is resolved after inactivity.

When the AI has answered and the conversation now waits on the customer, relaydesk schedules
``auto_resolve_at`` = now + the inactivity period: the Freshchat option
``auto_resolve_seconds`` when set, else the product setting ``auto_resolve_after_seconds``
(default 24 hours). A visitor's or an agent's message clears the schedule
(``do_append_message``), and the conversations store's periodic sweep resolves what is due
(``conversation.resolved`` by ``system``), which the Freshchat handlers then resolve in
Freshchat too. A conversation the AI resolved itself (the workflow's ``close``) is resolved at
once, in relaydesk and in Freshchat. This replaces Freshchat's paid "Advanced Automations"
recipe; docs/freshchat.md describes that recipe for those who prefer it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from relaydesk.config.queries import auto_resolve_after_seconds
from relaydesk.connectors.connections import FreshchatOptions
from relaydesk.connectors.queries import find_connection
from relaydesk.conversations.actions import do_schedule_auto_resolve
from relaydesk.conversations.queries import find_message, get_conversation, list_messages
from relaydesk.conversations.states import Status
from relaydesk.db.base import utcnow
from relaydesk.errors import NotFound


def inactivity_seconds(session: Session) -> tuple[bool, int]:
    """Return whether auto-resolve is on, and its period in seconds."""
    row = find_connection(session, "freshchat")
    options = FreshchatOptions.model_validate(row.options if row else {})
    if not options.auto_resolve_enabled:
        return False, 0
    if options.auto_resolve_seconds:
        return True, options.auto_resolve_seconds
    seconds = auto_resolve_after_seconds(session)
    return seconds > 0, seconds


def schedule_after_ai_message(session: Session, payload: dict[str, Any]) -> str:
    """Schedule auto-resolve if the AI's message is still the last word; return the outcome."""
    if payload.get("author") != "ai" or payload.get("private"):
        return "not an AI message"
    try:
        conversation = get_conversation(session, str(payload["conversation_id"]))
    except NotFound:
        return "conversation gone"
    if conversation.status == Status.RESOLVED.value:
        return "already resolved"
    message = find_message(session, str(payload["message_id"]))
    if message is None:
        return "message gone"
    later = [
        m
        for m in list_messages(session, conversation.id, after_seq=message.seq)
        if m.author in ("visitor", "agent")
    ]
    if later:
        return "the customer or an agent wrote since"
    enabled, seconds = inactivity_seconds(session)
    if not enabled:
        return "auto-resolve is off"
    do_schedule_auto_resolve(session, conversation, utcnow() + timedelta(seconds=seconds))
    return f"auto-resolve in {seconds}s"


__all__ = ["inactivity_seconds", "schedule_after_ai_message"]
