"""A per-database cache of the few rows read on every message and changed rarely.

Product settings (``prevent replies when closed``, the auto-resolve period) and the
connections to Freshworks are read in the write transaction of every message the messenger
stores; a row that does not exist (Freshchat not connected, a setting never changed) costs a
``SELECT`` each time, because the ORM's identity map does not remember misses.

Entries are plain values (never ORM objects) and live ``TTL_SECONDS``, so a change made by
another process (the CLI, another replica) is seen within that time. A commit of this
process that changes such a row clears the cache at once: the write actions call
``mark_changed``, and a flush of a cached model's row marks it too. Inside a transaction that
changed such a row the cache is bypassed, so a transaction always reads its own writes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")

#: How long (seconds) a cached row is trusted without asking the database.
TTL_SECONDS = 2.0
#: The key of the cache in ``Session.info``.
INFO_KEY = "relaydesk.row_cache"
_CHANGED = "relaydesk.row_cache.changed"


class RowCache:
    """Values computed from rarely changing rows, each trusted for ``ttl`` seconds."""

    def __init__(self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._generation = 0

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """Return the cached value of key, calling load() when it is missing or too old."""
        now = self._clock()
        with self._lock:
            found = self._entries.get(key)
            generation = self._generation
        if found is not None and now - found[0] < self.ttl:
            value: T = found[1]
            return value
        value = load()
        with self._lock:
            if generation == self._generation:  # no clear() while loading: safe to keep
                self._entries[key] = (now, value)
        return value

    def clear(self) -> None:
        """Forget every entry (a cached row changed)."""
        with self._lock:
            self._entries.clear()
            self._generation += 1


def cached(session: Session, key: Hashable, load: Callable[[], T]) -> T:
    """Return load()'s value through the session's row cache, if it has one.

    Bypasses the cache in a transaction that changed a cached row (it reads its own writes).
    """
    cache = session.info.get(INFO_KEY)
    if not isinstance(cache, RowCache) or session.info.get(_CHANGED):
        return load()
    return cache.get(key, load)


def mark_changed(session: Session) -> None:
    """Record that this transaction changes a cached row: the cache clears when it commits."""
    session.info[_CHANGED] = True


def install(sessions: sessionmaker[Session], cache: RowCache, models: tuple[type, ...]) -> None:
    """Give sessions from ``sessions`` the cache; flushes of ``models`` rows mark a change."""
    sessions.kw.setdefault("info", {})[INFO_KEY] = cache

    @event.listens_for(sessions, "after_flush")
    def _after_flush(session: Session, _context: Any) -> None:
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, models):
                mark_changed(session)
                return

    @event.listens_for(sessions, "after_commit")
    def _after_commit(session: Session) -> None:
        if session.info.pop(_CHANGED, False):
            cache.clear()

    @event.listens_for(sessions, "after_soft_rollback")
    def _after_rollback(session: Session, _previous: Any) -> None:
        session.info.pop(_CHANGED, None)
