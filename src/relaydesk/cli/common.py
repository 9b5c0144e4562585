"""What every CLI command shares: the ``--data-dir`` option and building settings from it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from relaydesk.db.engine import Database
from relaydesk.db.migrate import open_database
from relaydesk.logging import configure_logging
from relaydesk.settings import Settings

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="RELAYDESK_DATA_DIR",
        help="Folder for relaydesk's data (default ./relaydesk-data).",
        show_default=False,
    ),
]


def load_settings(data_dir: Path | None, **overrides: Any) -> Settings:
    """Build Settings from the environment, with --data-dir and overrides on top."""
    values: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    settings = Settings(**values)
    configure_logging(settings.log_level, json_lines=settings.log_json)
    return settings


def open_db(settings: Settings) -> Database:
    """Open the database of settings, migrated to the newest schema; fail clearly if it cannot."""
    from sqlalchemy.exc import ArgumentError, OperationalError

    try:
        return open_database(settings)
    except OSError as exc:
        raise fail(f"cannot use the data dir {settings.data_dir}: {exc.strerror or exc}") from exc
    except (OperationalError, ArgumentError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise fail(f"cannot open the database: {reason}") from exc


def echo_json(value: Any) -> None:
    """Write one JSON document to stdout."""
    typer.echo(json.dumps(value, ensure_ascii=False, default=str))


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print message on stderr and return the Exit to raise."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)
