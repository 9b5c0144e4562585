"""Error responses in each remote API's own shape (not relaydesk's canonical error body).

- Freshchat: ``{"code": 404, "status": "CONVERSATION_NOT_FOUND", "message": "..."}``
- Freshdesk: validation ``{"description": "Validation failed", "errors": [{"field", "message",
  "code"}]}``; other refusals ``{"code": "invalid_credentials", "message": "..."}``; an unknown
  record is a 404 with an empty body.
- Freshworks CRM: ``{"errors": {"code": 404, "message": ["..."]}}``; a bad key gives
  ``{"login": "failed", "message": "Incorrect or expired API key"}``.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse, Response


class Refusal(Exception):
    """Raised inside a sandbox router to answer with a ready-made error response."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def freshchat_error(code: int, status: str, message: str) -> Refusal:
    """Return a Freshchat error: ``{"code", "status", "message"}``."""
    body = {"code": code, "status": status, "message": message}
    return Refusal(JSONResponse(body, status_code=code))


def freshchat_not_found(kind: str) -> Refusal:
    """Return Freshchat's 404 for an unknown record of kind (``user``, ``conversation``…)."""
    return freshchat_error(404, f"{kind.upper()}_NOT_FOUND", f"{kind} not found")


def freshchat_bad_request(message: str) -> Refusal:
    """Return Freshchat's 400 for an invalid request."""
    return freshchat_error(400, "BAD_REQUEST", message)


def freshdesk_invalid(errors: list[dict[str, Any]]) -> Refusal:
    """Return Freshdesk's 400 ``Validation failed`` body."""
    body = {"description": "Validation failed", "errors": errors}
    return Refusal(JSONResponse(body, status_code=400))


def freshdesk_field_error(field: str, message: str, code: str) -> dict[str, Any]:
    """Return one entry of a Freshdesk validation ``errors`` list."""
    return {"field": field, "message": message, "code": code}


def freshdesk_not_found() -> Refusal:
    """Return Freshdesk's 404 for an unknown record: no body at all."""
    return Refusal(Response(status_code=404))


def freshdesk_error(status: int, code: str, message: str) -> Refusal:
    """Return a Freshdesk non-validation error ``{"code", "message"}``."""
    return Refusal(JSONResponse({"code": code, "message": message}, status_code=status))


def crm_error(status: int, message: str) -> Refusal:
    """Return a Freshworks CRM error ``{"errors": {"code", "message": [...]}}``."""
    body = {"errors": {"code": status, "message": [message]}}
    return Refusal(JSONResponse(body, status_code=status))


def unauthorized(system: str) -> Response:
    """Return what each API answers to a missing or wrong key."""
    if system == "freshchat":
        body: dict[str, Any] = {
            "code": 401,
            "status": "UNAUTHORIZED",
            "message": "Unauthorized: invalid or missing bearer token",
        }
    elif system == "freshdesk":
        body = {
            "code": "invalid_credentials",
            "message": "You have to be logged in to perform this action.",
        }
    else:
        body = {"login": "failed", "message": "Incorrect or expired API key"}
    return JSONResponse(body, status_code=401)


def fault_response(system: str, status: int, headers: dict[str, str] | None = None) -> Response:
    """Return an injected 429, 500 or 503 in the shape of system's API."""
    messages = {
        429: "Too many requests. Retry after some time.",
        500: "We're sorry, but something went wrong.",
        503: "Service temporarily unavailable.",
    }
    names = {429: "TOO_MANY_REQUESTS", 500: "INTERNAL_SERVER_ERROR", 503: "SERVICE_UNAVAILABLE"}
    message = messages.get(status, "error")
    body: dict[str, Any]
    if system == "freshchat":
        body = {"code": status, "status": names.get(status, "ERROR"), "message": message}
    elif system == "freshdesk":
        body = {"code": names.get(status, "error").lower(), "message": message}
    else:
        body = {"errors": {"code": status, "message": [message]}}
    return JSONResponse(body, status_code=status, headers=headers)
