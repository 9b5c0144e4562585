"""Hold every call to a remote system that has just answered 429 ("slow down").

Freshworks counts its rate limits per account: relaydesk's calls share the quota with the
customer's own agents and other integrations, and refused calls count too. So once one call to
a system (``freshchat``, ``freshdesk``, ``crm`` at one base URL) is answered 429, every later
call to that system is held back, unsent, until the pause ends: ``IntegrationTransport`` raises
``CallsPaused`` (a ``RateLimited``) instead of sending it. A job that gets it is rescheduled by
the worker to the end of the pause, like a job that got the 429 itself; other callers (a
credential check, a lookup that can do without the answer) get the error at once.

How long a pause lasts:

- the ``Retry-After`` the 429 carried (seconds or an HTTP date), at least ``MIN_PAUSE_SECONDS``
  (a ``Retry-After: 0`` still means "slow down") and at most ``PAUSE_CAP_SECONDS``;
- without ``Retry-After``: ``DEFAULT_PAUSE_SECONDS``, doubled for each further 429 in a row
  (no other answer in between), up to ``MAX_DEFAULT_PAUSE_SECONDS``.

A later 429 can only lengthen a pause. Each caller told to wait gets the time left plus its own
random jitter in ``[0, jitter_ceiling(pause)]``, so the held calls do not all resume at once.

The pauses live in this process (``remote_pauses``): with several processes (PostgreSQL and
several workers or replicas) each learns of a 429 on its own first one.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

MIN_PAUSE_SECONDS = 1.0
"""The shortest pause after a 429, whatever its ``Retry-After`` (0 included)."""
DEFAULT_PAUSE_SECONDS = 2.0
"""The pause after a 429 without ``Retry-After``; doubled for each further one in a row."""
MAX_DEFAULT_PAUSE_SECONDS = 60.0
"""The longest pause a run of 429s without ``Retry-After`` grows to."""
PAUSE_CAP_SECONDS = 3600.0
"""A ``Retry-After`` longer than an hour is not believed (as the job worker)."""
JITTER_FRACTION = 0.1
JITTER_MIN_SECONDS = 0.5
JITTER_MAX_SECONDS = 10.0


def jitter_ceiling(pause: float) -> float:
    """Return the largest jitter added after a pause of pause seconds: a tenth of it,
    at least ``JITTER_MIN_SECONDS`` and at most ``JITTER_MAX_SECONDS``."""
    return min(JITTER_MAX_SECONDS, max(JITTER_MIN_SECONDS, JITTER_FRACTION * pause))


def pause_length(retry_after: float | None, strikes: int) -> float:
    """Return how long to pause after the strikes-th 429 in a row that said retry_after."""
    if retry_after is not None:
        return min(PAUSE_CAP_SECONDS, max(MIN_PAUSE_SECONDS, retry_after))
    exponent = min(max(0, strikes - 1), 16)
    return float(min(MAX_DEFAULT_PAUSE_SECONDS, DEFAULT_PAUSE_SECONDS * 2**exponent))


@dataclass
class Pause:
    """One system's pause: calls wait until ``until`` (on the registry's clock)."""

    until: float
    length: float
    strikes: int


class RemotePauses:
    """The systems that asked relaydesk to slow down, keyed by (system, origin).

    ``clock`` returns seconds (monotonic by default; tests pass their own), ``rng`` draws the
    jitter. Thread-safe: the app and the in-process worker share one.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.clock = clock
        self.rng = rng or random.Random()
        self._lock = threading.Lock()
        self._pauses: dict[tuple[str, str], Pause] = {}

    def wait_for(self, system: str, origin: str) -> float | None:
        """Return the seconds a call to system at origin must wait (jitter included), or
        None when it may go now."""
        now = self.clock()
        with self._lock:
            pause = self._pauses.get((system, origin))
            if pause is None or now >= pause.until:
                return None
            return pause.until - now + self._jitter(pause.length)

    def rate_limited(self, system: str, origin: str, retry_after: float | None) -> float:
        """Start (or lengthen) system's pause after a 429; return the seconds the caller that
        got it waits (jitter included)."""
        now = self.clock()
        with self._lock:
            earlier = self._pauses.get((system, origin))
            strikes = (earlier.strikes if earlier is not None else 0) + 1
            length = pause_length(retry_after, strikes)
            until = now + length
            if earlier is not None and earlier.until > until:
                until, length = earlier.until, max(length, earlier.length)
            self._pauses[(system, origin)] = Pause(until=until, length=length, strikes=strikes)
            wait = until - now + self._jitter(length)
        log.warning(
            "%s answered 429: holding all its calls for %.1f s",
            system,
            until - now,
            extra={"system": system, "origin": origin, "retry_after": retry_after},
        )
        return wait

    def answered(self, system: str, origin: str) -> None:
        """Note an answer other than 429: a run of 429s is over (the pause, if any, stays)."""
        with self._lock:
            pause = self._pauses.get((system, origin))
            if pause is not None and self.clock() >= pause.until:
                del self._pauses[(system, origin)]

    def paused(self) -> dict[tuple[str, str], float]:
        """Return the seconds left of each running pause, by (system, origin)."""
        now = self.clock()
        with self._lock:
            return {key: p.until - now for key, p in self._pauses.items() if p.until > now}

    def clear(self) -> None:
        """Forget every pause (tests; an operator who knows better)."""
        with self._lock:
            self._pauses.clear()

    def _jitter(self, length: float) -> float:
        return self.rng.uniform(0.0, jitter_ceiling(length))


remote_pauses = RemotePauses()
"""The process's pauses; every client ``make_client`` builds consults it unless given another."""


__all__ = [
    "DEFAULT_PAUSE_SECONDS",
    "MAX_DEFAULT_PAUSE_SECONDS",
    "MIN_PAUSE_SECONDS",
    "PAUSE_CAP_SECONDS",
    "Pause",
    "RemotePauses",
    "jitter_ceiling",
    "pause_length",
    "remote_pauses",
]
