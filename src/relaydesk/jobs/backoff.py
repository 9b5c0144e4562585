"""Exponential back-off with full jitter, capped."""

from __future__ import annotations

import random

BASE_SECONDS = 1.0
CAP_SECONDS = 300.0


def backoff_ceiling(attempt: int, *, base: float = BASE_SECONDS, cap: float = CAP_SECONDS) -> float:
    """Return the longest wait after the attempt-th failed try (1-based): base·2^(n-1), capped."""
    exponent = max(0, attempt - 1)
    if exponent > 30:
        return cap
    return float(min(cap, base * (2**exponent)))


def backoff_delay(
    attempt: int,
    *,
    base: float = BASE_SECONDS,
    cap: float = CAP_SECONDS,
    rng: random.Random | None = None,
) -> float:
    """Return a random wait in [0, ceiling] after the attempt-th failed try ("full jitter")."""
    ceiling = backoff_ceiling(attempt, base=base, cap=cap)
    return (rng or random).uniform(0.0, ceiling)
