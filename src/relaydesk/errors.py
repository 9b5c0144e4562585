"""relaydesk's exception tree. Each class carries its HTTP status and a stable ``code``.

    RelaydeskError (500, internal_error)
    ├── InvalidInput (400, invalid_input)
    │   ├── MessageTooLong (400, message_too_long)
    │   ├── InvalidWorkflow (400, invalid_workflow)
    │   └── UnknownButton (400, unknown_button)
    ├── Unauthorized (401, unauthorized)
    │   └── InvalidToken (401, invalid_token)
    ├── Forbidden (403, forbidden)
    │   └── NotShownHere (403, not_shown_here)
    ├── NotFound (404, not_found)
    │   ├── ContactNotFound (404, contact_not_found)
    │   ├── ConversationNotFound (404, conversation_not_found)
    │   ├── MessageNotFound (404, message_not_found)
    │   └── JobNotFound (404, job_not_found)
    ├── Conflict (409, conflict)
    │   ├── ConversationClosed (409, conversation_closed)
    │   ├── IdempotencyKeyReused (409, idempotency_key_reused)
    │   ├── InvalidTransition (409, invalid_transition)
    │   └── ContactDeleted (409, contact_deleted)
    ├── PayloadTooLarge (413, too_large)
    ├── TooManyRequests (429, too_many_requests)
    └── Unavailable (503, unavailable)

Connector failures have their own tree in ``relaydesk.connectors.errors``.
One exception handler in ``relaydesk.app`` renders every error as
``{"ok": false, "error": str, "errors": [...], "status": int, "code": str}``.
"""

from __future__ import annotations

from typing import Any


class RelaydeskError(Exception):
    """Base of every error relaydesk raises on purpose."""

    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, *, errors: list[Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []

    def to_body(self) -> dict[str, Any]:
        """Return the canonical JSON error body."""
        return {
            "ok": False,
            "error": self.message,
            "errors": self.errors,
            "status": self.status,
            "code": self.code,
        }


class InvalidInput(RelaydeskError):
    status = 400
    code = "invalid_input"


class MessageTooLong(InvalidInput):
    code = "message_too_long"


class InvalidWorkflow(InvalidInput):
    """A workflow document has problems; ``errors`` lists each with its block id."""

    code = "invalid_workflow"


class UnknownButton(InvalidInput):
    """The visitor pressed a button that is not (or no longer) offered."""

    code = "unknown_button"


class Unauthorized(RelaydeskError):
    status = 401
    code = "unauthorized"


class InvalidToken(Unauthorized):
    code = "invalid_token"


class Forbidden(RelaydeskError):
    status = 403
    code = "forbidden"


class NotShownHere(Forbidden):
    code = "not_shown_here"


class NotFound(RelaydeskError):
    status = 404
    code = "not_found"


class Conflict(RelaydeskError):
    status = 409
    code = "conflict"


class ConversationClosed(Conflict):
    code = "conversation_closed"


class IdempotencyKeyReused(Conflict):
    """An ``Idempotency-Key`` already used in the conversation came with another message."""

    code = "idempotency_key_reused"


class ContactNotFound(NotFound):
    """No contact has this id (or it was deleted)."""

    code = "contact_not_found"


class ConversationNotFound(NotFound):
    """No conversation has this id (or the caller may not see it)."""

    code = "conversation_not_found"


class MessageNotFound(NotFound):
    """No message has this id."""

    code = "message_not_found"


class JobNotFound(NotFound):
    """No delivery job has this id."""

    code = "job_not_found"


class InvalidTransition(Conflict):
    """The conversation's status cannot change that way (for example resolved → ticketed)."""

    code = "invalid_transition"


class ContactDeleted(Conflict):
    """The contact was deleted (GDPR); nothing may recreate or touch it."""

    code = "contact_deleted"


class PayloadTooLarge(RelaydeskError):
    """A request body is larger than the endpoint accepts."""

    status = 413
    code = "too_large"


class TooManyRequests(RelaydeskError):
    status = 429
    code = "too_many_requests"


class Unavailable(RelaydeskError):
    status = 503
    code = "unavailable"
