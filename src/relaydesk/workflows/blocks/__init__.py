"""One module per block type, each with ``enter(block, ctx)`` and ``resume(block, ctx, given)``."""

from __future__ import annotations

from types import ModuleType

from relaydesk.workflows.blocks import (
    ai,
    branch,
    close,
    collect,
    handoff_freshchat,
    handoff_freshdesk_ticket,
    message,
)

HANDLERS: dict[str, ModuleType] = {
    "message": message,
    "collect": collect,
    "ai": ai,
    "branch": branch,
    "handoff_freshchat": handoff_freshchat,
    "handoff_freshdesk_ticket": handoff_freshdesk_ticket,
    "close": close,
}

__all__ = ["HANDLERS"]
