"""A first-come, first-served gate for the messenger's SQLite transactions.

SQLite has one writer at a time (``BEGIN IMMEDIATE``); a connection that finds the database
locked sleeps in SQLite's busy handler and retries, so under load some requests wait seconds
while later ones slip through. Queueing the messenger's transactions here, in arrival order,
keeps the wait fair and the tail latency close to the median. PostgreSQL needs no gate.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class FairGate:
    """A ticket lock: holders pass in the order they arrived."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Wait for this caller's turn, then hold the gate until the block ends."""
        with self._cond:
            ticket = self._next_ticket
            self._next_ticket += 1
            while ticket != self._serving:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._serving += 1
                self._cond.notify_all()


class OpenGate:
    """No gate (PostgreSQL serialises per row, not per database)."""

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Pass at once."""
        yield
