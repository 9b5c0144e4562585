"""What can go wrong talking to a remote API (Freshchat, Freshdesk, Freshworks CRM).

    ConnectorError (502, remote_error)                  base; carries ``system``
    ├── TransportFailed (502, remote_unreachable)       connect error, timeout, 5xx: retry
    ├── RateLimited (503, remote_rate_limited)          429: retry after ``retry_after`` seconds
    │   └── CallsPaused (503, remote_rate_limited)      not sent: the system said 429 moments ago
    ├── RemoteRejected (502, remote_rejected)           other 4xx: don't retry (``permanent``)
    │   └── AlreadyGone (404, remote_already_gone)      404 on delete: GDPR treats as success
    └── NotConnected (409, not_connected)               no connection stored / not configured

Each class is also a ``RelaydeskError``, so an admin route that lets one escape answers in the
canonical JSON error shape. The job worker reads two attributes: ``retry_after`` (seconds to
wait before the next try) and ``permanent`` (dead-letter now, a retry cannot help).

``TransportFailed.ambiguous`` tells whether the remote may have acted on the request anyway
(a read timeout or a 5xx after the body was sent); a connect error is never ambiguous. Senders
of non-idempotent requests (posting a message) check the remote before trying again.

``CallsPaused`` is raised *instead of* making a call while the system is paused after a 429
(``relaydesk.connectors.pauses``); its ``held`` is True: nothing was sent.
"""

from __future__ import annotations

from typing import Any

from relaydesk.errors import RelaydeskError


class ConnectorError(RelaydeskError):
    """A remote API call failed."""

    status = 502
    code = "remote_error"
    permanent: bool = False
    retry_after: float | None = None
    held: bool = False  # True: relaydesk held the call back; nothing was sent

    def __init__(self, message: str, *, system: str = "", errors: list[Any] | None = None) -> None:
        super().__init__(message, errors=errors)
        self.system = system


class TransportFailed(ConnectorError):
    """The remote could not be reached, timed out, or failed on its side (5xx): retry."""

    code = "remote_unreachable"

    def __init__(
        self,
        message: str,
        *,
        system: str = "",
        ambiguous: bool = True,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message, system=system)
        self.ambiguous = ambiguous
        self.status_code = status_code


class RateLimited(ConnectorError):
    """The remote answered 429: retry after ``retry_after`` seconds (None: use back-off)."""

    status = 503
    code = "remote_rate_limited"

    def __init__(self, message: str, *, system: str = "", retry_after: float | None = None) -> None:
        super().__init__(message, system=system)
        self.retry_after = retry_after


class CallsPaused(RateLimited):
    """The call was held back, unsent: the system answered 429 moments ago and its pause has
    not ended. ``retry_after``: seconds until calls to it resume (jitter included)."""

    held = True


class RemoteRejected(ConnectorError):
    """The remote refused the request (4xx other than 429): retrying cannot help."""

    code = "remote_rejected"
    permanent = True

    def __init__(
        self, message: str, *, system: str = "", status_code: int, body: Any = None
    ) -> None:
        super().__init__(message, system=system)
        self.status_code = status_code
        self.body = body


class AlreadyGone(RemoteRejected):
    """The thing to delete does not exist (any more): deletion counts as done."""

    status = 404
    code = "remote_already_gone"


class NotConnected(ConnectorError):
    """The remote system is not connected or not configured yet."""

    status = 409
    code = "not_connected"
    permanent = True


__all__ = [
    "AlreadyGone",
    "CallsPaused",
    "ConnectorError",
    "NotConnected",
    "RateLimited",
    "RemoteRejected",
    "TransportFailed",
]
