"""`relaydesk sandbox serve` prints its keys, public key and URLs, and serves."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx


def test_sandbox_serve_prints_keys_and_serves() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "relaydesk", "sandbox", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line.rstrip("\n"))
            if line.startswith("-----END RSA PUBLIC KEY-----"):
                break
        output = "\n".join(lines)
        url = lines[0].removeprefix("relaydesk sandbox at ")
        assert url.startswith("http://127.0.0.1:")
        keys = httpx.get(f"{url}/_sandbox/keys").json()
        assert f"freshchat_api_key: {keys['freshchat_api_key']}" in output
        assert f"freshdesk_api_key: {keys['freshdesk_api_key']}" in output
        assert f"crm_api_key: {keys['crm_api_key']}" in output
        assert keys["webhook_public_key_pem"].strip() in output
        assert (
            f"{url}/v2" in output and f"{url}/api/v2" in output and f"{url}/crm/sales/api" in output
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
