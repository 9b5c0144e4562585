"""Apply Alembic migrations programmatically; every entry point calls this on start."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

if TYPE_CHECKING:
    from relaydesk.db.engine import Database
    from relaydesk.settings import Settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """Build the Alembic configuration for the database at url."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_to_head(engine: Engine) -> None:
    """Bring the database behind engine up to the newest schema."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def open_database(settings: Settings) -> Database:
    """Open the configured database and bring its schema up to date."""
    from relaydesk.db.engine import Database

    settings.ensure_data_dir()
    db = Database(settings.resolved_database_url)
    upgrade_to_head(db.engine)
    return db
