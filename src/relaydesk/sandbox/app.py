"""``create_sandbox_app()``: the Freshworks stand-in as one ASGI app.

Freshchat under ``/v2``, Freshdesk under ``/api/v2``, Freshworks CRM under ``/crm/sales/api``,
the control surface and the agent's inbox page under ``/_sandbox``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from relaydesk.sandbox import control, freshchat
from relaydesk.sandbox.context import Sandbox
from relaydesk.sandbox.gateway import GatewayMiddleware
from relaydesk.sandbox.refusals import Refusal
from relaydesk.sandbox.state import SandboxOptions, SandboxState


def create_sandbox_app(
    state: SandboxState | None = None, options: SandboxOptions | None = None
) -> FastAPI:
    """Build the sandbox app around state (a fresh, seeded one by default)."""
    sandbox = Sandbox.create(state or SandboxState(options))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        sandbox.deliverer.stop()

    app = FastAPI(
        title="relaydesk Freshworks sandbox",
        lifespan=lifespan,
        docs_url="/_sandbox/docs",
        redoc_url=None,
        openapi_url="/_sandbox/openapi.json",
    )
    app.state.sandbox = sandbox

    @app.exception_handler(Refusal)
    async def _refusal(_request: Request, exc: Refusal) -> Response:
        return exc.response

    app.add_middleware(GatewayMiddleware)
    app.include_router(freshchat.router)
    app.include_router(control.router)
    return app
