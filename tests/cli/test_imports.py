"""The CLI starts without the web stack: `relaydesk ask` must answer quickly after start."""

from __future__ import annotations

import subprocess
import sys

SERVER_ONLY = ("fastapi", "uvicorn", "httpx", "relaydesk.app", "relaydesk.connectors.http")


def test_loading_the_cli_and_opening_the_database_imports_no_server_module() -> None:
    code = (
        "import sys, relaydesk.cli, relaydesk.cli.common, relaydesk.cli.ask; "
        f"print([m for m in {SERVER_ONLY!r} if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
