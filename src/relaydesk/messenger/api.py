"""The visitor's HTTP API under ``/messenger/v1`` (see docs/messenger.md), and the widget files.

``install_messenger(app, settings, db)`` builds the workflow engine and the messenger service,
and mounts the routes, the WebSocket stream and ``/widget.js`` / ``/widget.css``. Routes are
plain ``def``: FastAPI runs them in its threadpool, where the agent may use the CPU.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from relaydesk.db.engine import Database
from relaydesk.errors import NotFound, PayloadTooLarge
from relaydesk.messenger.cors import MessengerCORS
from relaydesk.messenger.responder import LazyResponder
from relaydesk.messenger.service import MessengerService, idempotency_key, visitor_input
from relaydesk.settings import Settings
from relaydesk.workflows.engine import WorkflowEngine

log = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
MAX_BODY = 64 * 1024


PREFIX = "/messenger/v1/"


class BodyLimit:
    """Refuse messenger request bodies over 64 KB (a message is at most 4,000 characters).

    A pure ASGI middleware, because FastAPI reads and parses the whole body before any
    dependency runs: a declared ``Content-Length`` over the limit is refused before reading,
    and a chunked body (no ``Content-Length``) is read only up to the limit, then refused
    with 413 too_large. Under the limit, the body is replayed to the route unchanged.
    """

    def __init__(self, app: ASGIApp, *, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = PayloadTooLarge(f"request body over {self.limit // 1024} KB")
        await JSONResponse(error.to_body(), status_code=error.status)(scope, receive, send)


router = APIRouter(prefix="/messenger/v1", tags=["messenger"])


class SessionCreate(BaseModel):
    """``POST /sessions``: where the widget is, and the site's JWT for a logged-in visitor."""

    model_config = ConfigDict(extra="ignore")

    page_url: str = Field(max_length=2048)
    user_jwt: str | None = None  # its length is the identity check's (401 when too long)


class ConversationCreate(BaseModel):
    """``POST /conversations`` (optional body): the page and the visitor's language."""

    model_config = ConfigDict(extra="ignore")

    page_url: str | None = Field(default=None, max_length=2048)
    language: str | None = Field(default=None, max_length=16)


class MessageCreate(BaseModel):
    """``POST /conversations/{id}/messages``: exactly one of text or button_id."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = None
    button_id: str | None = None


def service_of(request: Request) -> MessengerService:
    """Return the app's messenger service."""
    service: MessengerService = request.app.state.messenger
    return service


def bearer_token(request: Request) -> str | None:
    """Return the bearer token of the request, if any."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


@router.post("/sessions")
def create_session(request: Request, body: SessionCreate) -> dict[str, Any]:
    """Start a visitor session on a page: 403 when the deploy rules hide the messenger there,
    401 when the user JWT is refused."""
    client = request.client.host if request.client else "unknown"
    return service_of(request).open_session(
        page_url=body.page_url, user_jwt=body.user_jwt, bearer=bearer_token(request), client=client
    )


@router.post("/conversations", status_code=201)
def create_conversation(
    request: Request, body: Annotated[ConversationCreate | None, Body()] = None
) -> dict[str, Any]:
    """Start a conversation; the answer carries the workflow's first messages."""
    body = body or ConversationCreate()
    return service_of(request).start_conversation(
        bearer_token(request), page_url=body.page_url, language=body.language
    )


@router.get("/conversations")
def list_conversations(request: Request) -> dict[str, Any]:
    """List the visitor's own conversations."""
    return service_of(request).list_conversations(bearer_token(request))


@router.get("/conversations/{conversation_id}")
def get_conversation(request: Request, conversation_id: str) -> dict[str, Any]:
    """Return one of the visitor's conversations with its messages and status."""
    return service_of(request).get_conversation(bearer_token(request), conversation_id)


@router.post("/conversations/{conversation_id}/messages")
def post_message(request: Request, conversation_id: str, body: MessageCreate) -> dict[str, Any]:
    """Send text or a button; the answer lists every message the step produced.

    An ``Idempotency-Key`` header makes a retry safe: a repeat answers the same messages.
    """
    given = visitor_input(body.text, body.button_id)
    key = idempotency_key(request.headers.getlist("idempotency-key"))
    return service_of(request).post_message(bearer_token(request), conversation_id, given, key=key)


def _static(name: str, media_type: str) -> Any:
    def serve() -> Any:
        path = STATIC / name
        if not path.exists():
            raise NotFound(f"{name} is not installed")
        return FileResponse(
            path, media_type=media_type, headers={"Cache-Control": "public, max-age=300"}
        )

    serve.__name__ = f"serve_{name.replace('.', '_')}"
    return serve


def _warm(responder: LazyResponder) -> None:
    try:
        responder.agent()
    except Exception:
        log.exception("loading the AI agent failed; it is retried on the first question")


def install_messenger(app: FastAPI, settings: Settings, db: Database) -> MessengerService:
    """Build the engine and the service, and mount the messenger routes and widget files."""
    from relaydesk.messenger.ws import router as ws_router

    engine = WorkflowEngine(LazyResponder(settings, db))
    service = MessengerService(
        settings,
        db,
        engine,
        hub=getattr(app.state, "hub", None),
        messages_per_minute=settings.messenger_messages_per_minute,
        sessions_per_minute=settings.messenger_sessions_per_minute,
    )
    app.state.messenger = service

    async def warm_up() -> None:
        # Load the agent (model, index) in the background so the first visitor does not wait;
        # the first question builds it anyway if this has not finished.
        responder = service.engine.responder
        if isinstance(responder, LazyResponder):
            threading.Thread(target=_warm, args=(responder,), daemon=True).start()

    app.state.on_start.append(warm_up)
    app.add_middleware(BodyLimit)
    app.add_middleware(MessengerCORS)  # the widget calls from the customer's site (outermost)

    async def load_agent() -> None:
        # Build the agent at start-up: it reads the knowledge base, which it cannot do from
        # inside the first message's write transaction (SQLite has one writer: it would wait
        # for itself until the busy timeout).
        responder = service.engine.responder
        if isinstance(responder, LazyResponder):
            await asyncio.to_thread(responder.agent)

    app.state.on_start.append(load_agent)
    app.include_router(router)
    app.include_router(ws_router)
    app.add_api_route(
        "/widget.js", _static("widget.js", "text/javascript; charset=utf-8"), methods=["GET"]
    )
    app.add_api_route(
        "/widget.css", _static("widget.css", "text/css; charset=utf-8"), methods=["GET"]
    )
    return service
