"""`relaydesk serve`: the whole system — API, messenger, admin, webhooks and the job worker."""

from __future__ import annotations

import logging
from typing import Any

import typer

from relaydesk.cli.common import DataDirOption, load_settings
from relaydesk.db.engine import Database
from relaydesk.settings import Settings
from relaydesk.workflows.actions import do_install_default_workflow

log = logging.getLogger(__name__)


def prepare(db: Database) -> None:
    """Do what a first start needs: install the default workflow when none is set."""
    with db.transaction() as session:
        if do_install_default_workflow(session) is not None:
            log.info("installed the default workflow")


#: uvicorn's WebSocket settings for the widget's streams. A widget never sends more than a
#: 64 KB frame. No permessage-deflate: its compressor and decompressor state costs ~38 KB per
#: open socket (1,000 streams: 38 MB) to shrink events of a few hundred bytes.
WEBSOCKET_OPTIONS: dict[str, Any] = {"ws_max_size": 64 * 1024, "ws_per_message_deflate": False}


def prepare_server_logging() -> None:
    """Mask secrets in uvicorn's own log lines too (call before uvicorn configures them).

    uvicorn logs each WebSocket handshake and request with its query string, and the
    widget's stream URL carries the visitor token (``?token=``).
    """
    from relaydesk.logging import RedactingFilter

    for name in ("uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())


def run_server(settings: Settings, *, host: str, port: int) -> None:
    """Build the app for settings and serve it with uvicorn until interrupted."""
    import uvicorn  # loaded here, not when the CLI starts

    from relaydesk.app import create_app
    from relaydesk.memory import tune_heap_for_server

    tune_heap_for_server()
    app = create_app(settings)
    prepare(app.state.db)
    typer.echo(f"relaydesk serving on http://{host}:{port} (data dir {settings.data_dir})")
    prepare_server_logging()
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        **WEBSOCKET_OPTIONS,
    )


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    data_dir: DataDirOption = None,
) -> None:
    """Run relaydesk: messenger API and widget, admin API, webhooks, and the job worker."""
    run_server(load_settings(data_dir), host=host, port=port)
