"""Freshdesk's request validation, with its error entries (``field``, ``message``, ``code``).

Every problem in a request is collected, then refused at once with
``{"description": "Validation failed", "errors": [...]}`` (HTTP 400; 409 for a duplicate).
"""

from __future__ import annotations

import html
import math
import re
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from relaydesk.sandbox.refusals import freshdesk_error, freshdesk_field_error, freshdesk_invalid
from relaydesk.sandbox.state import Record, SandboxState

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 30


class Problems:
    """Collects validation errors for one request."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []

    def add(self, field: str, message: str, code: str) -> None:
        """Record one problem."""
        self.errors.append(freshdesk_field_error(field, message, code))

    def raise_if_any(self, status: int = 400) -> None:
        """Refuse with every problem recorded so far."""
        if not self.errors:
            return
        refusal = freshdesk_invalid(self.errors)
        refusal.response.status_code = status
        raise refusal


def type_name(value: Any) -> str:
    """Name a JSON value's type as Freshdesk's messages do."""
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    if value is None:
        return "Null"
    return "key/value pair"


def mismatch(problems: Problems, field: str, value: Any, expected: str) -> None:
    """Record a ``datatype_mismatch``."""
    problems.add(
        field,
        f"Value set is of type {type_name(value)}.It should be a/an {expected}",
        "datatype_mismatch",
    )


def check_unknown_fields(problems: Problems, body: dict[str, Any], allowed: set[str]) -> None:
    """Record ``invalid_field`` for every key not in allowed."""
    for name in body:
        if name not in allowed:
            problems.add(name, "Unexpected/invalid field in request", "invalid_field")


def check_positive_int(problems: Problems, body: dict[str, Any], field: str) -> int | None:
    """Return body[field] if it is a positive integer; record a mismatch otherwise."""
    value = body.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        mismatch(problems, field, value, "Positive Integer")
        return None
    return value


def check_choice(problems: Problems, body: dict[str, Any], field: str, choices: list[int]) -> None:
    """Record ``invalid_value`` when body[field] is not one of choices."""
    value = check_positive_int(problems, body, field)
    if value is not None and value not in choices:
        listed = ",".join(str(c) for c in choices)
        problems.add(field, f"It should be one of these values: '{listed}'", "invalid_value")


def check_string(
    problems: Problems,
    body: dict[str, Any],
    field: str,
    *,
    required: bool = False,
    max_length: int | None = None,
) -> str | None:
    """Return body[field] if a string; record missing/mismatch/too long otherwise."""
    value = body.get(field)
    if value is None:
        if required:
            problems.add(field, "It should be a/an String", "missing_field")
        return None
    if not isinstance(value, str):
        mismatch(problems, field, value, "String")
        return None
    if max_length is not None and len(value) > max_length:
        problems.add(field, too_long(value, max_length), "invalid_size")
        return None
    return value


def too_long(value: str, limit: int) -> str:
    """Return Freshdesk's message for a string over its length limit."""
    return f"Has {len(value)} characters, it can have maximum of {limit} characters"


def check_email(problems: Problems, body: dict[str, Any], field: str = "email") -> str | None:
    """Return a valid email from body[field] (or None), recording problems."""
    value = check_string(problems, body, field)
    if value is not None and not EMAIL_RE.match(value):
        problems.add(field, "It should be in the 'valid email address' format", "invalid_value")
        return None
    return value


def check_string_list(problems: Problems, body: dict[str, Any], field: str) -> list[str] | None:
    """Return body[field] if it is a list of strings."""
    value = body.get(field)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        mismatch(problems, field, value, "Array")
        return None
    return value


def check_custom_fields(problems: Problems, state: SandboxState, value: Any) -> dict[str, Any]:
    """Validate ``custom_fields`` against the account's custom ticket fields."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        mismatch(problems, "custom_fields", value, "key/value pair")
        return {}
    fields = {f["name"]: f for f in state.freshdesk.ticket_fields if not f["default"]}
    for name, item in value.items():
        spec = fields.get(name)
        if spec is None:
            problems.add(name, "Unexpected/invalid field in request", "invalid_field")
            continue
        if item is None:
            continue
        kind = spec["type"]
        if kind in ("custom_text", "custom_paragraph"):
            if not isinstance(item, str):
                mismatch(problems, name, item, "String")
            elif kind == "custom_text" and len(item) > 255:
                problems.add(
                    name,
                    too_long(item, 255),
                    "invalid_size",
                )
        elif kind == "custom_number":
            if isinstance(item, bool) or not isinstance(item, int):
                mismatch(problems, name, item, "Integer")
        elif kind == "custom_checkbox":
            if not isinstance(item, bool):
                mismatch(problems, name, item, "Boolean")
        elif kind == "custom_dropdown" and item not in spec.get("choices", []):
            listed = ",".join(spec.get("choices", []))
            problems.add(name, f"It should be one of these values: '{listed}'", "invalid_value")
    return dict(value)


def html_to_text(markup: str) -> str:
    """Return the plain text of an HTML fragment (Freshdesk's ``*_text`` fields)."""
    text = re.sub(r"<(br|/p|/div|/li)\s*/?>", "\n", markup, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text).strip()


def require_json_content_type(request: Request) -> None:
    """Refuse a write without a JSON content type, as Freshdesk does (415)."""
    content_type = request.headers.get("content-type", "")
    if "application/json" not in content_type:
        raise freshdesk_error(
            415, "invalid_content_type", "Content-Type header should have application/json"
        )


def page_params(request: Request) -> tuple[int, int]:
    """Return (page, per_page), refusing invalid values."""
    problems = Problems()
    values = {}
    for name, default in (("page", 1), ("per_page", DEFAULT_PER_PAGE)):
        raw = request.query_params.get(name)
        if raw is None:
            values[name] = default
        elif not raw.isdigit() or int(raw) < 1:
            problems.add(name, "It should be a/an Positive Integer", "datatype_mismatch")
        elif name == "per_page" and int(raw) > MAX_PER_PAGE:
            problems.add(
                name,
                f"It should be a/an Positive Integer less than or equal to {MAX_PER_PAGE}",
                "invalid_value",
            )
        else:
            values[name] = int(raw)
    problems.raise_if_any()
    return values["page"], values["per_page"]


def paged_list(request: Request, items: list[Record]) -> Response:
    """Answer a JSON array page with Freshdesk's ``Link: <…>; rel="next"`` header."""
    page, per_page = page_params(request)
    chunk = items[(page - 1) * per_page : page * per_page]
    headers = {}
    if page < math.ceil(len(items) / per_page):
        query = {k: v for k, v in request.query_params.items() if k not in ("page", "per_page")}
        query.update({"page": str(page + 1), "per_page": str(per_page)})
        headers["Link"] = f'<{request.url.replace(query=urlencode(query))}>; rel="next"'
    return JSONResponse(chunk, headers=headers)
