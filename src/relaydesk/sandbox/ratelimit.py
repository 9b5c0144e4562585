"""Per-account rate limits: a sliding window per system, like Freshworks' per-minute quotas."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """The outcome of counting one call."""

    allowed: bool
    total: int
    remaining: int
    retry_after: int


class RateLimiter:
    """Count calls in a sliding window; refused calls count too (as on Freshdesk)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._hits: deque[float] = deque()

    def configure(self, limit: int, window: float | None = None) -> None:
        """Change the limit (and window), forgetting earlier calls."""
        with self._lock:
            self.limit = limit
            if window is not None:
                self.window = window
            self._hits.clear()

    def hit(self) -> Verdict:
        """Count one call and say whether it is within the limit."""
        now = time.monotonic()
        with self._lock:
            while self._hits and now - self._hits[0] >= self.window:
                self._hits.popleft()
            if len(self._hits) >= self.limit:
                wait = self.window - (now - self._hits[0]) if self._hits else self.window
                return Verdict(False, self.limit, 0, max(1, math.ceil(wait)))
            self._hits.append(now)
            return Verdict(True, self.limit, self.limit - len(self._hits), 0)
