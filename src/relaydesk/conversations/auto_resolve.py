"""Auto-resolve: a conversation waiting on the customer is resolved after inactivity.

When the AI writes in a conversation it owns (open, assignee AI), the conversation now waits on
the customer: ``do_append_message`` sets ``auto_resolve_at`` = now + the inactivity period,
in the same transaction. The period is the Freshchat connection's ``auto_resolve_seconds``
when set, else the product setting ``auto_resolve_after_seconds`` (default 24 hours); the
Freshchat option ``auto_resolve_enabled`` (default on) turns it off. A visitor's or an
agent's message, a handoff and a resolve clear the schedule, and the conversation store's
periodic sweep (``conversations/handlers.py``) resolves what is due (``conversation.resolved``
by ``system``), which the Freshchat handlers then resolve in Freshchat too. A conversation
the AI resolved itself (the workflow's ``close``) is resolved at once. This replaces
Freshchat's paid "Advanced Automations" recipe; docs/freshchat.md describes that recipe for
those who prefer it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from relaydesk.config.queries import auto_resolve_after_seconds


def auto_resolve_period(session: Session) -> int | None:
    """Return the inactivity (seconds) before auto-resolve, or None when it is off.

    Read for every AI message: both sources go through the row cache (``db/row_cache.py``).
    """
    from relaydesk.connectors.connections import FreshchatOptions
    from relaydesk.connectors.queries import connection_state

    options = FreshchatOptions.model_validate(connection_state(session, "freshchat").options)
    if not options.auto_resolve_enabled:
        return None
    if options.auto_resolve_seconds:
        return options.auto_resolve_seconds
    return auto_resolve_after_seconds(session) or None


__all__ = ["auto_resolve_period"]
