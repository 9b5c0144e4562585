"""The server's own log lines (uvicorn's) never carry a visitor's token.

The widget's WebSocket URL carries the visitor token (``/stream?token=…``), and uvicorn logs
every WebSocket handshake with its path and query at INFO. That token reads the visitor's
conversations, so it must be masked like every other secret in the process log.
"""

from __future__ import annotations

import logging

import pytest
import uvicorn

from relaydesk.cli.serve import WEBSOCKET_OPTIONS, prepare_server_logging

TOKEN = "vt_Zsecret0visitor0token0value0123456789"
PATH = f"/messenger/v1/conversations/c1/stream?token={TOKEN}&after=3"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def uvicorn_loggers() -> object:
    names = ("uvicorn", "uvicorn.error", "uvicorn.access")
    saved = {n: (logging.getLogger(n).filters[:], logging.getLogger(n).handlers[:]) for n in names}
    yield
    for name, (filters, handlers) in saved.items():
        logger = logging.getLogger(name)
        logger.filters[:] = filters
        logger.handlers[:] = handlers


@pytest.mark.usefixtures("uvicorn_loggers")
def test_websocket_and_access_lines_mask_the_visitor_token() -> None:
    prepare_server_logging()
    uvicorn.Config("relaydesk.app:create_app", log_level="info", **WEBSOCKET_OPTIONS)
    capture = Capture()
    for name in ("uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).addHandler(capture)
    # exactly the calls uvicorn makes for a WebSocket handshake and an HTTP request
    logging.getLogger("uvicorn.error").info(
        '%s - "WebSocket %s" [accepted]', "127.0.0.1:50000", PATH
    )
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:50000", "GET", PATH, "1.1", 101
    )
    assert len(capture.lines) == 2
    for line in capture.lines:
        assert TOKEN not in line
        assert "/messenger/v1/conversations/c1/stream?token=***" in line
