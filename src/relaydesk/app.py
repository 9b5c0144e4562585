"""The composition root: ``create_app(settings)`` builds the whole HTTP application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from relaydesk import __version__
from relaydesk.db.engine import Database
from relaydesk.db.migrate import open_database
from relaydesk.errors import RelaydeskError
from relaydesk.settings import Settings

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "invalid_input",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
}


def error_body(status: int, message: str, errors: list[object] | None = None) -> dict[str, object]:
    """Return the canonical error body for a status and message."""
    return {
        "ok": False,
        "error": message,
        "errors": errors or [],
        "status": status,
        "code": _HTTP_CODES.get(status, "internal_error" if status >= 500 else "error"),
    }


def install_error_handlers(app: FastAPI) -> None:
    """Render every error, ours and the framework's, in the canonical JSON shape."""

    @app.exception_handler(RelaydeskError)
    async def _relaydesk_error(_request: Request, exc: RelaydeskError) -> JSONResponse:
        if exc.status >= 500:
            log.error("request failed: %s", exc.message)
        return JSONResponse(exc.to_body(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "loc": [str(part) for part in err.get("loc", ())],
                "msg": str(err.get("msg", "")),
                "type": str(err.get("type", "")),
            }
            for err in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(p for p in first["loc"] if p != "body") or "body"
        body = error_body(400, f"{where}: {first['msg']}", list(errors))
        return JSONResponse(body, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            error_body(exc.status_code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return JSONResponse(error_body(500, "internal error"), status_code=500)


def _install_core(app: FastAPI, settings: Settings, database: Database) -> None:
    """Build the real-time hub (published to after each commit) and the job worker."""
    from relaydesk.jobs.service import WorkerService
    from relaydesk.jobs.worker import Worker, build_job_context
    from relaydesk.realtime.hub import attach_realtime, build_hub

    hub = build_hub(settings)
    attach_realtime(database, hub)
    app.state.hub = hub
    app.state.on_start.append(hub.start)
    app.state.on_stop.append(hub.stop)
    app.state.worker = None
    if settings.worker_enabled:
        service = WorkerService(Worker(build_job_context(settings, database, hub)))
        app.state.worker = service
        app.state.on_start.append(service.start)
        # on_stop runs in reverse: the worker stops first, then its cached clients are closed
        app.state.on_stop.append(partial(_close_cached_clients, service.worker.ctx.clients))
        app.state.on_stop.append(service.stop)


async def _close_cached_clients(clients: dict[str, object]) -> None:
    """Close the HTTP clients connectors cached for the worker's jobs (values or (key, client))."""
    for value in list(clients.values()):
        for item in value if isinstance(value, tuple) else (value,):
            closer = getattr(item, "aclose", None)
            if closer is not None and hasattr(item, "http"):
                await closer()


def _install_integration_log(app: FastAPI, database: Database) -> None:
    """Share one integration log (remote API calls) between routes and the worker's jobs."""
    from relaydesk.connectors.http import DatabaseIntegrationLog

    integration_log = DatabaseIntegrationLog(database)
    app.state.integration_log = integration_log
    service = getattr(app.state, "worker", None)
    app.state.on_stop.append(integration_log.aclose)
    if service is not None:
        from relaydesk.connectors.freshchat.runtime import close_clients

        clients = service.worker.ctx.clients
        clients["integration_log"] = integration_log

        async def close_connector_clients() -> None:
            await close_clients(clients)

        app.state.on_stop.append(close_connector_clients)


def create_app(settings: Settings, *, db: Database | None = None) -> FastAPI:
    """Build the relaydesk application from settings (the one composition root)."""
    database = db or open_database(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Sync routes run in anyio's thread pool (40 threads by default): CPU-bound work
        # (the agent, SQLite) gets slower for everyone when more threads than that take turns.
        to_thread.current_default_thread_limiter().total_tokens = settings.web_threads
        for start in app.state.on_start:
            await start()
        try:
            yield
        finally:
            for stop in reversed(app.state.on_stop):
                await stop()
            if db is None:
                database.dispose()

    app = FastAPI(title="relaydesk", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    app.state.db = database
    app.state.on_start = []
    app.state.on_stop = []
    install_error_handlers(app)
    _install_core(app, settings, database)
    _install_integration_log(app, database)

    # The webhook receiver first: it is the hottest inbound path, and routes match in order.
    from relaydesk.connectors.freshchat.receiver import router as freshchat_webhook_router

    app.include_router(freshchat_webhook_router)

    from relaydesk.admin.api import router as admin_api_router

    app.include_router(admin_api_router)

    from relaydesk.messenger.api import install_messenger

    messenger = install_messenger(app, settings, database)
    if app.state.worker is not None:  # Freshchat's widget conversations run the same engine
        app.state.worker.worker.ctx.clients.setdefault("workflow_engine", messenger.engine)

    @app.get("/healthz")
    def healthz() -> dict[str, object]:
        return {"ok": True, "version": __version__}

    return app
