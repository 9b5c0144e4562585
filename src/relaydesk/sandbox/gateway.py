"""What every API call passes through before its router: faults, rate limits, auth, the log.

Order: an injected fault answers first (a ``slow`` fault only delays); then the rate limit
counts the call (invalid calls count too, as on Freshdesk) and refuses with 429 and
``Retry-After``; then the key is checked; then the router runs. Every call is recorded in
``state.calls`` with the status it got. Freshdesk responses carry ``X-RateLimit-Total``,
``X-RateLimit-Remaining`` and ``X-RateLimit-Used-CurrentRequest``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii

from fastapi import Request, Response
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from relaydesk.sandbox.context import Sandbox
from relaydesk.sandbox.refusals import fault_response, unauthorized
from relaydesk.sandbox.state import SandboxKeys

PREFIXES = (("/api/v2/", "freshdesk"), ("/v2/", "freshchat"), ("/crm/sales/api/", "crm"))
FAULT_STATUS = {"down": 503, "429": 429, "500": 500}


def system_for_path(path: str) -> str | None:
    """Return which API a path belongs to, or None for the sandbox's own pages."""
    for prefix, system in PREFIXES:
        if path.startswith(prefix):
            return system
    return None


def is_authorized(system: str, authorization: str, keys: SandboxKeys) -> bool:
    """Check an Authorization header the way system's API does."""
    if system == "freshchat":
        return authorization == f"Bearer {keys.freshchat_api_key}"
    if system == "crm":
        return authorization == f"Token token={keys.crm_api_key}"
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        user, _, _password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return user == keys.freshdesk_api_key


class GatewayMiddleware(BaseHTTPMiddleware):
    """Apply faults, rate limits and auth to the three APIs, and log every call."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        system = system_for_path(request.url.path)
        if system is None:
            return await call_next(request)
        sandbox: Sandbox = request.app.state.sandbox
        response = await self._answer(sandbox, system, request, call_next)
        sandbox.state.record_call(system, request.method, request.url.path, response.status_code)
        return response

    async def _answer(
        self, sandbox: Sandbox, system: str, request: Request, call_next: RequestResponseEndpoint
    ) -> Response:
        fault = sandbox.faults.take(system)
        if fault is not None and fault.mode == "slow":
            await asyncio.sleep(fault.delay)
        elif fault is not None:
            status = FAULT_STATUS[fault.mode]
            headers = {"Retry-After": str(fault.retry_after)} if status == 429 else None
            return fault_response(system, status, headers)
        verdict = sandbox.limiters[system].hit()
        limit_headers: dict[str, str] = {}
        if system == "freshdesk":
            limit_headers = {
                "X-RateLimit-Total": str(verdict.total),
                "X-RateLimit-Remaining": str(verdict.remaining),
                "X-RateLimit-Used-CurrentRequest": "1" if verdict.allowed else "0",
            }
        if not verdict.allowed:
            headers = {**limit_headers, "Retry-After": str(verdict.retry_after)}
            return fault_response(system, 429, headers)
        if not is_authorized(system, request.headers.get("authorization", ""), sandbox.state.keys):
            response = unauthorized(system)
        else:
            response = await call_next(request)
        response.headers.update(limit_headers)
        return response
