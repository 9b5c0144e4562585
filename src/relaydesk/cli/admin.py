"""`relaydesk admin …`: admin API tokens."""

from __future__ import annotations

import typer

from relaydesk.cli.common import DataDirOption, echo_json, fail, load_settings, open_db

app = typer.Typer(help="Administer relaydesk: admin API tokens.", no_args_is_help=True)
token_app = typer.Typer(help="Admin API bearer tokens (stored hashed, revocable).")
app.add_typer(token_app, name="token")


@token_app.command("create")
def create(
    name: str = typer.Option("cli", "--name", help="A label for the token."),
    data_dir: DataDirOption = None,
) -> None:
    """Create an admin API token and print it once."""
    from relaydesk.admin.actions import do_create_token  # loads the crypto only when used
    from relaydesk.errors import InvalidInput

    db = open_db(load_settings(data_dir))
    try:
        with db.transaction() as session:
            row, plaintext = do_create_token(session, name)
            token_id = row.id
    except InvalidInput as exc:
        raise fail(exc.message) from None
    typer.echo(plaintext)
    typer.echo(f"token id {token_id}: keep the token; it is stored only as a hash", err=True)


@token_app.command("list")
def list_(json_out: bool = typer.Option(False, "--json"), data_dir: DataDirOption = None) -> None:
    """List admin API tokens (never their values)."""
    from relaydesk.admin.queries import list_tokens

    db = open_db(load_settings(data_dir))
    with db.session() as session:
        rows = [
            {
                "id": t.id,
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "revoked": t.revoked_at is not None,
            }
            for t in list_tokens(session)
        ]
    if json_out:
        echo_json(rows)
        return
    for r in rows:
        typer.echo(
            f"{r['id']}  {r['name']}  {r['created_at']}  {'revoked' if r['revoked'] else ''}"
        )


@token_app.command("revoke")
def revoke(token_id: str, data_dir: DataDirOption = None) -> None:
    """Revoke an admin API token by id."""
    from relaydesk.admin.actions import do_revoke_token
    from relaydesk.errors import NotFound

    db = open_db(load_settings(data_dir))
    try:
        with db.transaction() as session:
            do_revoke_token(session, token_id)
    except NotFound as exc:
        raise fail(exc.message) from None
    typer.echo(f"revoked {token_id}")
