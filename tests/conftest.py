"""Shared fixtures: settings in a fresh data dir, a real database per test, the app."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from relaydesk.db.engine import Database
from relaydesk.db.migrate import upgrade_to_head
from relaydesk.settings import Settings
from tests.playwright_fixtures import (  # noqa: F401  (Playwright per module, not per session)
    base_url,
    browser,
    browser_context_args,
    browser_type,
    launch_browser,
    playwright,
)

PG_URL = os.environ.get("RELAYDESK_TEST_DATABASE_URL")


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [f"sqlite: {sqlite3.sqlite_version}"]
    if PG_URL:
        engine = sa.create_engine(PG_URL)
        with engine.connect() as conn:
            lines.append(f"postgresql: {conn.exec_driver_sql('SHOW server_version').scalar()}")
        engine.dispose()
    return lines


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per session; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite:///{path}")
    upgrade_to_head(db.engine)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str | None]:
    """A PostgreSQL database migrated once per session, used as CREATE DATABASE template."""
    if not PG_URL:
        yield None
        return
    name = f"rd_tpl_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    db = Database(url)
    upgrade_to_head(db.engine)
    db.dispose()
    yield name
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def database_url(tmp_path: Path, _sqlite_template: Path, _pg_template: str | None) -> Iterator[str]:
    """The URL of a fresh, migrated database: a SQLite file, or PostgreSQL when configured."""
    if _pg_template is None or not PG_URL:
        path = tmp_path / "relaydesk.db"
        shutil.copy(_sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    name = f"rd_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{_pg_template}"')
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings over a fresh data dir and a fresh database."""
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        identity_secret="test-identity-secret-0123456789abcdef",
        secret_key=None,
    )


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    """The migrated database of settings."""
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    upgrade_to_head(database.engine)
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def _no_remote_pauses() -> Iterator[None]:
    """Start and end each test with no remote system paused by a 429 (the pauses are
    process-wide, and the sandbox's address is the same for every test of a session)."""
    from relaydesk.connectors.pauses import remote_pauses

    remote_pauses.clear()
    yield
    remote_pauses.clear()
