"""What a job handler raises to steer the worker.

    JobError
    ├── RetryLater(after_seconds, reason)   run again after after_seconds (or the back-off)
    └── PermanentFailure(reason)            never retry: the job is dead-lettered at once

Any other exception is retried with exponential back-off. The worker also understands the
connector errors without importing them: an exception with a ``retry_after`` attribute is a
``RetryLater``, and one with ``permanent = True`` is a ``PermanentFailure``.

A ``RetryLater`` (so also a remote that is down, times out or rate limits) is *transient*:
it says nothing about the job itself, so it is retried past the job's ``max_attempts`` until
``RELAYDESK_JOB_RETRY_WINDOW_SECONDS`` after the job was queued. Other failures (a bug, bad
data) are dead-lettered after ``max_attempts`` so that they do not hold back the jobs queued
after them.

A connector error with ``held = True`` (``CallsPaused``) made no call: the remote said 429
moments ago and every call to it waits until its ``Retry-After`` (plus jitter). The job runs
again then, like one that got the 429 itself; the try still counts as an attempt, because
handlers read the attempt number as "has an earlier run already begun" (the Freshdesk ticket
job tells the visitor "being created" on its first try only).
"""

from __future__ import annotations


class JobError(Exception):
    """Base of the exceptions that steer the worker."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryLater(JobError):
    """Run the job again later: after after_seconds, or after the back-off when None."""

    def __init__(self, after_seconds: float | None = None, reason: str = "retry later") -> None:
        super().__init__(reason)
        self.after_seconds = after_seconds


class PermanentFailure(JobError):
    """The job can never succeed; dead-letter it now with reason as its last error."""


def is_permanent(exc: BaseException) -> bool:
    """Tell whether exc says the job can never succeed (dead-letter it now)."""
    return isinstance(exc, PermanentFailure) or getattr(exc, "permanent", False) is True


def is_transient(exc: BaseException) -> bool:
    """Tell whether exc is a passing failure of a remote (``RetryLater``, ``retry_after``)."""
    if is_permanent(exc):
        return False
    return isinstance(exc, RetryLater) or hasattr(exc, "retry_after")
