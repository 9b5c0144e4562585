"""`relaydesk demo`: the whole product on one machine — relaydesk, the sample knowledge base,
the default workflow, and the Freshworks sandbox, connected and configured."""

from __future__ import annotations

import errno
import logging
import os
import socket
from pathlib import Path

import typer

from relaydesk.cli.common import DataDirOption, fail, load_settings, open_db
from relaydesk.errors import RelaydeskError

log = logging.getLogger(__name__)


def _check_port_free(host: str, port: int, option: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise fail(
                    f"port {port} is already in use; pick another with {option} PORT"
                ) from exc
            raise fail(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


def demo(
    port: int = typer.Option(
        8000, "--port", help="Port of relaydesk (demo page, messenger, admin API)."
    ),
    sandbox_port: int = typer.Option(
        8900, "--sandbox-port", help="Port of the Freshworks sandbox."
    ),
    kb: Path | None = typer.Option(
        None, "--kb", help="Folder of help-center articles to use instead of the sample one."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address both servers listen on."),
    data_dir: DataDirOption = None,
) -> None:
    """Run relaydesk with a sample knowledge base and the sandbox standing in for Freshworks."""
    # The server's modules load here, not when the CLI starts (`relaydesk ask` never needs them).
    import uvicorn

    from relaydesk.app import create_app
    from relaydesk.cli.serve import WEBSOCKET_OPTIONS
    from relaydesk.demo.narration import install_narration
    from relaydesk.demo.page import SAMPLE_KB, install_demo_page
    from relaydesk.demo.setup import SandboxAccount, prepare_demo
    from relaydesk.memory import tune_heap_for_server
    from relaydesk.sandbox.server import start_sandbox

    tune_heap_for_server()
    kb_path = kb or SAMPLE_KB
    if not kb_path.is_dir():
        raise fail(f"--kb {kb_path}: no such folder")
    if port == sandbox_port:
        raise fail("--port and --sandbox-port must differ")
    _check_port_free(host, port, "--port")
    _check_port_free(host, sandbox_port, "--sandbox-port")
    # The terminal tells the story; the process log shows only problems unless asked for more.
    log_level = None if "RELAYDESK_LOG_LEVEL" in os.environ else "WARNING"
    settings = load_settings(data_dir, public_url=f"http://{host}:{port}", log_level=log_level)
    app_url = f"http://{host}:{port}"
    typer.echo("relaydesk demo: starting the Freshworks sandbox and loading the knowledge base…")
    sandbox = start_sandbox(host=host, port=sandbox_port)
    try:
        keys = sandbox.keys
        account = SandboxAccount(
            url=sandbox.url,
            freshchat_api_key=keys.freshchat_api_key,
            freshdesk_api_key=keys.freshdesk_api_key,
            crm_api_key=keys.crm_api_key,
            webhook_public_key_pem=keys.webhook_public_key_pem,
        )
        db = open_db(settings)
        try:
            setup = prepare_demo(db, settings, kb_path=kb_path, account=account, app_url=app_url)
        except RelaydeskError as exc:
            raise fail(f"demo set-up failed: {exc.message}") from exc
        finally:
            db.dispose()
        install_narration(typer.echo)
        app = create_app(settings)
        inbox_url = f"{sandbox.url}/_sandbox/"
        install_demo_page(app, inbox_url=inbox_url)
        kb_line = (
            f"{len(setup.kb.added)} added, {len(setup.kb.updated)} updated, "
            f"{len(setup.kb.unchanged)} unchanged"
        )
        typer.echo(
            "\n".join(
                [
                    "",
                    f"  Demo page (chat here):          {app_url}/",
                    f"  Freshchat inbox (be the agent): {inbox_url}",
                    f"  Admin API:                      {app_url}/admin/api/v1  "
                    "(token: relaydesk admin token create)",
                    f"  Data dir:                       {settings.data_dir.resolve()}",
                    f"  Knowledge base:                 {kb_path} ({kb_line})",
                    f"  Freshchat: AI agent '{setup.ai_agent}', group '{setup.group}', "
                    f"topic '{setup.topic}'",
                    "",
                    "Press Ctrl-C to stop. What happens:",
                ]
            )
        )
        config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", lifespan="on", **WEBSOCKET_OPTIONS
        )
        server = uvicorn.Server(config)
        try:
            server.run()
        except KeyboardInterrupt:
            pass
    finally:
        sandbox.stop()
    typer.echo("relaydesk demo stopped.")
