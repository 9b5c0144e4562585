"""The registry of job handlers, one per (event name, concern), and of periodic tasks.

Modules register with the decorators re-exported by ``relaydesk.jobs.handlers``; that module
also imports every registering module, so ``registry.ensure_loaded()`` sees them all.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from relaydesk.jobs.worker import JobContext

log = logging.getLogger(__name__)

HandlerFn = Callable[["JobContext", dict[str, Any]], Awaitable[None]]
PeriodicFn = Callable[["JobContext"], Awaitable[None]]
WhenFn = Callable[["Session", dict[str, Any]], bool]


@dataclass(frozen=True)
class HandlerSpec:
    """One registered handler: the job kind is ``"<event_name>:<concern>"``."""

    event_name: str
    concern: str
    fn: HandlerFn
    max_attempts: int | None = None
    ordering: str | None = None
    when: WhenFn | None = None

    def wants(self, session: Session, payload: dict[str, Any]) -> bool:
        """Tell whether this event needs a job of this handler (``when``, default yes)."""
        return self.when is None or bool(self.when(session, payload))

    @property
    def kind(self) -> str:
        """Return the job kind this handler runs."""
        return f"{self.event_name}:{self.concern}"

    @property
    def ordering_group(self) -> str:
        """Return the first part of the ordering key: ``ordering`` if given, else the concern."""
        return self.ordering or self.concern


@dataclass(frozen=True)
class PeriodicSpec:
    """A function the worker runs every ``every_seconds``."""

    name: str
    every_seconds: float
    fn: PeriodicFn


class HandlerRegistry:
    """Handlers by event name and by job kind, plus periodic tasks."""

    def __init__(self) -> None:
        self._by_kind: dict[str, HandlerSpec] = {}
        self._periodic: dict[str, PeriodicSpec] = {}
        self._loaded = False

    def register(self, spec: HandlerSpec) -> None:
        """Add a handler; registering another function under the same kind is an error."""
        existing = self._by_kind.get(spec.kind)
        if existing is not None and _qualname(existing.fn) != _qualname(spec.fn):
            raise ValueError(f"job kind {spec.kind!r} already has a handler")
        self._by_kind[spec.kind] = spec

    def unregister(self, kind: str) -> None:
        """Remove the handler of a job kind (tests)."""
        self._by_kind.pop(kind, None)

    def add_periodic(self, spec: PeriodicSpec) -> None:
        """Add a periodic task; the same name twice replaces the first."""
        self._periodic[spec.name] = spec

    def remove_periodic(self, name: str) -> None:
        """Remove a periodic task (tests)."""
        self._periodic.pop(name, None)

    def for_event(self, event_name: str) -> list[HandlerSpec]:
        """Return the handlers of an event, in kind order."""
        return sorted(
            (s for s in self._by_kind.values() if s.event_name == event_name),
            key=lambda s: s.kind,
        )

    def for_kind(self, kind: str) -> HandlerSpec | None:
        """Return the handler of a job kind, or None."""
        return self._by_kind.get(kind)

    def kinds(self) -> list[str]:
        """Return every registered job kind."""
        return sorted(self._by_kind)

    def periodic_tasks(self) -> list[PeriodicSpec]:
        """Return every periodic task."""
        return [self._periodic[name] for name in sorted(self._periodic)]

    def ensure_loaded(self) -> None:
        """Import ``relaydesk.jobs.handlers`` (and so every registering module) once."""
        if not self._loaded:
            importlib.import_module("relaydesk.jobs.handlers")
            self._loaded = True

    @contextmanager
    def temporary(self, *specs: HandlerSpec | PeriodicSpec) -> Iterator[None]:
        """Register specs for the duration of a with block (tests)."""
        for spec in specs:
            if isinstance(spec, HandlerSpec):
                self.register(spec)
            else:
                self.add_periodic(spec)
        try:
            yield
        finally:
            for spec in specs:
                if isinstance(spec, HandlerSpec):
                    self.unregister(spec.kind)
                else:
                    self.remove_periodic(spec.name)


def _qualname(fn: Any) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


registry = HandlerRegistry()


def handler(
    event_name: str,
    concern: str,
    *,
    max_attempts: int | None = None,
    ordering: str | None = None,
    when: WhenFn | None = None,
) -> Callable[[HandlerFn], HandlerFn]:
    """Register the decorated coroutine as the handler of (event_name, concern).

    Its jobs have kind ``"<event_name>:<concern>"`` and ordering key
    ``"<ordering or concern>:<conversation id>"``: handlers that must run in one order per
    conversation across several events (a handoff, then the relay of the next messages)
    share an ``ordering`` name.

    ``when(session, payload) -> bool``, if given, runs inside the writing transaction and
    decides whether this event needs a job at all (for example: relay a message to Freshchat
    only when the conversation is linked to Freshchat). Skipping there saves a job per
    message; the handler must still tolerate an event it has nothing to do for.
    """

    def decorate(fn: HandlerFn) -> HandlerFn:
        registry.register(HandlerSpec(event_name, concern, fn, max_attempts, ordering, when))
        return fn

    return decorate


def periodic(name: str, every_seconds: float) -> Callable[[PeriodicFn], PeriodicFn]:
    """Register the decorated coroutine ``fn(ctx)`` to run every every_seconds in the worker."""

    def decorate(fn: PeriodicFn) -> PeriodicFn:
        registry.add_periodic(PeriodicSpec(name, every_seconds, fn))
        return fn

    return decorate
