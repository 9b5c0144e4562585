"""``create_sandbox_app()``: the Freshworks stand-in as one ASGI app.

Freshchat under ``/v2``, Freshdesk under ``/api/v2``, Freshworks CRM under ``/crm/sales/api``,
the control surface and the agent's inbox page under ``/_sandbox``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError

from relaydesk.sandbox import (
    control,
    crm,
    freshchat,
    freshdesk,
    freshdesk_contacts,
    page,
    seeding,
)
from relaydesk.sandbox.context import Sandbox
from relaydesk.sandbox.gateway import GatewayMiddleware, system_for_path
from relaydesk.sandbox.refusals import Refusal, crm_error, freshchat_error, freshdesk_not_found
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

    @app.exception_handler(RequestValidationError)
    async def _bad_path(request: Request, _exc: RequestValidationError) -> Response:
        # Only path parameters are declared (bodies are parsed by hand), so a failure here
        # is an id of the wrong form: each API answers that as an unknown record.
        system = system_for_path(request.url.path)
        if system == "freshdesk":
            return freshdesk_not_found().response
        if system == "crm":
            return crm_error(404, "Record does not exist").response
        return freshchat_error(404, "NOT_FOUND", "resource not found").response

    app.add_middleware(GatewayMiddleware)
    app.include_router(freshchat.router)
    app.include_router(freshdesk.router)
    app.include_router(freshdesk_contacts.router)
    app.include_router(crm.router)
    app.include_router(control.router)
    app.include_router(seeding.router)
    app.include_router(page.router)
    return app
