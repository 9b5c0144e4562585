"""A per-key sliding-window rate limit, in process (each replica counts its own requests)."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from relaydesk.errors import TooManyRequests


class RateLimiter:
    """Allow at most ``limit`` events per ``window`` seconds for each key."""

    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        *,
        what: str = "requests",
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.limit = limit
        self.window = window
        self.what = what
        self.clock = clock
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Count one event for key; raise TooManyRequests (429) when over the limit."""
        if self.limit <= 0:
            return
        now = self.clock()
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= self.max_keys:
                    self._forget_idle(now)
                hits = self._hits[key] = deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                retry = max(1, int(hits[0] + self.window - now + 0.999))
                raise TooManyRequests(
                    f"too many {self.what}: at most {self.limit} per {int(self.window)} s; "
                    f"retry in {retry} s"
                )
            hits.append(now)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
            del self._hits[key]
