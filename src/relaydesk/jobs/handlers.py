"""Job handlers: ``@handler(event, concern)`` and ``@periodic(name, seconds)``.

A handler is ``async def fn(ctx: JobContext, payload: dict) -> None``; ``payload`` is the
event's fields as JSON (see docs/events.md). Each (event, concern) is one job per event, in
order per conversation. A job whose kind has no handler (a concern that was removed) is
marked ``skipped`` by the worker.

Modules that register handlers are imported at the bottom of this file, in the marked list.
"""

from __future__ import annotations

from relaydesk.jobs.registry import (
    HandlerFn,
    HandlerRegistry,
    HandlerSpec,
    PeriodicFn,
    PeriodicSpec,
    WhenFn,
    handler,
    periodic,
    registry,
)

__all__ = [
    "HandlerFn",
    "HandlerRegistry",
    "HandlerSpec",
    "PeriodicFn",
    "PeriodicSpec",
    "WhenFn",
    "handler",
    "periodic",
    "registry",
]

# --- modules that register handlers (add one import line per module; keep sorted) -------------
import relaydesk.connectors.freshchat.handlers  # noqa: E402,F401  handoff, relay, webhooks
import relaydesk.connectors.freshdesk.handlers  # noqa: E402,F401  tickets, notes
import relaydesk.conversations.handlers  # noqa: E402,F401  auto-resolve sweep
import relaydesk.jobs.maintenance  # noqa: E402,F401  prune finished jobs
import relaydesk.security.handlers  # noqa: E402,F401  one-time-code emails

# --- end of the list ------------------------------------------------------------------------
