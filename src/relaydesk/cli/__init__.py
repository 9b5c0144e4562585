"""The `relaydesk` command line."""

from __future__ import annotations

import typer

from relaydesk import __version__
from relaydesk.cli import admin, connect, contact, kb, sandbox
from relaydesk.cli import ask as ask_cli
from relaydesk.cli import demo as demo_cli
from relaydesk.cli import eval as eval_cli
from relaydesk.cli import serve as serve_cli
from relaydesk.cli import workflow as workflow_cli
from relaydesk.errors import RelaydeskError

app = typer.Typer(
    name="relaydesk",
    help="relaydesk: a self-hosted AI support agent with Freshchat and Freshdesk handoff.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(admin.app, name="admin")
app.add_typer(kb.app, name="kb")
app.add_typer(sandbox.app, name="sandbox")
app.add_typer(connect.connect_app, name="connect")
app.add_typer(connect.configure_app, name="configure")
app.command("logs")(connect.logs)
app.add_typer(workflow_cli.app, name="workflow")
app.add_typer(contact.app, name="contact")
app.command("serve")(serve_cli.serve)
app.command("demo")(demo_cli.demo)
app.command("ask")(ask_cli.ask)
app.command("eval")(eval_cli.eval_)


@app.command("version")
def version() -> None:
    """Print relaydesk's version."""
    typer.echo(__version__)


def main() -> None:
    """Run the CLI; relaydesk's own errors end in one clear line, not a traceback."""
    try:
        app()
    except RelaydeskError as exc:
        typer.secho(f"error: {exc.message}", err=True, fg=typer.colors.RED)
        raise SystemExit(2) from exc
