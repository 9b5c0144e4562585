"""Run the sandbox on a real port: uvicorn in a background thread (tests, demo, CLI)."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from relaydesk.sandbox.app import create_sandbox_app
from relaydesk.sandbox.context import Sandbox
from relaydesk.sandbox.state import SandboxKeys, SandboxOptions, SandboxState


class RunningSandbox:
    """A sandbox server running in a thread. ``url`` is each API's base URL."""

    def __init__(
        self, server: uvicorn.Server, thread: threading.Thread, sandbox: Sandbox, url: str
    ) -> None:
        self._server = server
        self._thread = thread
        self.sandbox = sandbox
        self.url = url

    @property
    def state(self) -> SandboxState:
        """The live in-memory state (read it; change it through the HTTP control surface)."""
        return self.sandbox.state

    @property
    def keys(self) -> SandboxKeys:
        """The API keys and webhook public key."""
        return self.sandbox.state.keys

    def reset(self) -> None:
        """Back to the seeded start (records, calls, webhook URL, faults)."""
        self.sandbox.reset()

    def set_webhook(self, url: str | None) -> None:
        """Send Freshchat webhooks to url (None turns them off); same as the control call."""
        with self.sandbox.state.lock:
            self.sandbox.state.webhook_url = url or None

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        """Wait until no webhook delivery is queued or in flight."""
        return self.sandbox.deliverer.wait_idle(timeout)

    def stop(self) -> None:
        """Stop the server and the webhook deliverer."""
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self.sandbox.deliverer.stop()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_sandbox(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    options: SandboxOptions | None = None,
    log_level: str = "warning",
    **option_overrides: Any,
) -> RunningSandbox:
    """Start a sandbox on host:port (0 picks a free port) and return once it answers.

    Keyword overrides set ``SandboxOptions`` fields, e.g. ``webhook_retry_delays=(0.1, 0.2)``.
    """
    opts = options or SandboxOptions()
    for name, value in option_overrides.items():
        if not hasattr(opts, name):
            raise TypeError(f"unknown sandbox option {name!r}")
        setattr(opts, name, value)
    app = create_sandbox_app(SandboxState(opts))
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level=log_level, lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="relaydesk-sandbox", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.01)
    display_host = f"[{host}]" if ":" in host else host
    sandbox: Sandbox = app.state.sandbox
    return RunningSandbox(server, thread, sandbox, f"http://{display_host}:{bound_port}")
