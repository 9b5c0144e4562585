"""Cross-origin access to the messenger API: the widget runs on the customer's own site.

The visitor API authenticates with a bearer visitor token, never with cookies, so any origin
may call it (``Access-Control-Allow-Origin: *``, no credentials); which pages show the
messenger is the deploy rules' decision, made by the server. Only ``/messenger/`` paths get
CORS headers: the admin API stays same-origin.
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

PREFIX = "/messenger/"


class MessengerCORS:
    """Answer CORS (and its preflight) for the messenger API only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Accept", "Idempotency-Key"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(PREFIX):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
