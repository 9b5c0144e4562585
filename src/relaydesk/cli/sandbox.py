"""`relaydesk sandbox …`: the Freshworks stand-in on its own."""

from __future__ import annotations

import time

import typer

app = typer.Typer(
    help="The local Freshchat / Freshdesk / Freshworks CRM stand-in.", no_args_is_help=True
)


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8900, "--port", help="Port to listen on (0 picks a free one)."),
) -> None:
    """Serve the sandbox; print its API keys, webhook public key and URLs; run until Ctrl-C."""
    from relaydesk.sandbox.server import start_sandbox

    running = start_sandbox(host, port, log_level="info")
    keys = running.keys
    typer.echo(f"relaydesk sandbox at {running.url}")
    typer.echo(f"  agent inbox page   {running.url}/_sandbox/")
    typer.echo(f"  base URL of every API (relaydesk connect --base-url): {running.url}")
    typer.echo(f"  Freshchat          {running.url}/v2/...   Authorization: Bearer <key>")
    typer.echo(
        f"  Freshdesk          {running.url}/api/v2/...   HTTP Basic, key as user, X as password"
    )
    typer.echo(
        f"  Freshworks CRM     {running.url}/crm/sales/api/...   Authorization: Token token=<key>"
    )
    typer.echo(
        f"  control surface    {running.url}/_sandbox/keys, /_sandbox/state, ... (docs/sandbox.md)"
    )
    typer.echo(f"freshchat_api_key: {keys.freshchat_api_key}")
    typer.echo(f"freshdesk_api_key: {keys.freshdesk_api_key}")
    typer.echo(f"crm_api_key: {keys.crm_api_key}")
    typer.echo("webhook public key (as Freshchat's admin page shows it):")
    typer.echo(keys.webhook_public_key_pem.rstrip("\n"))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        typer.echo("stopping")
    finally:
        running.stop()
