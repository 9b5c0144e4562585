"""`relaydesk connect freshdesk` and `relaydesk configure freshdesk` against the sandbox."""

from __future__ import annotations

import json

import httpx
from click.testing import Result
from typer.testing import CliRunner

from relaydesk.cli import app
from relaydesk.connectors.connections import load_connection
from relaydesk.connectors.freshdesk.config import FreshdeskConfig
from relaydesk.db.engine import Database
from relaydesk.db.models.connectors import Connection
from relaydesk.sandbox import RunningSandbox
from relaydesk.security.secrets import load_secret_box
from relaydesk.settings import Settings

runner = CliRunner()


def _run(settings: Settings, *args: str) -> Result:
    return runner.invoke(
        app,
        [*args, "--data-dir", str(settings.data_dir)],
        env={"RELAYDESK_DATABASE_URL": settings.resolved_database_url},
    )


def _connect(settings: Settings, sandbox: RunningSandbox, *extra: str) -> Result:
    return _run(
        settings,
        "connect",
        "freshdesk",
        "--base-url",
        sandbox.url,
        "--api-key",
        sandbox.keys["freshdesk_api_key"],
        *extra,
    )


def test_connect_checks_and_stores_the_key_encrypted(
    settings: Settings, db: Database, sandbox: RunningSandbox
) -> None:
    result = _connect(settings, sandbox)
    assert result.exit_code == 0, result.output
    assert "cf_plan" in result.stdout and "groups" in result.stdout
    with db.session() as session:
        conn = load_connection(session, load_secret_box(settings), "freshdesk")
        row = session.get(Connection, "freshdesk")
        assert row is not None
        raw = row.api_key_encrypted
    assert conn is not None and conn.api_key == sandbox.keys["freshdesk_api_key"]
    assert sandbox.keys["freshdesk_api_key"] not in raw


def test_connect_refuses_a_wrong_key_with_the_reason(
    settings: Settings, db: Database, sandbox: RunningSandbox
) -> None:
    result = _run(settings, "connect", "freshdesk", "--base-url", sandbox.url, "--api-key", "wrong")
    assert result.exit_code == 1
    assert "refused the API key (401)" in result.output
    with db.session() as session:
        assert load_connection(session, load_secret_box(settings), "freshdesk") is None


def test_connect_without_check_stores_anyway(
    settings: Settings, db: Database, sandbox: RunningSandbox
) -> None:
    result = _run(
        settings, "connect", "freshdesk", "--base-url", "acme", "--api-key", "k", "--no-check"
    )
    assert result.exit_code == 0, result.output
    assert "https://acme.freshdesk.com (not checked)" in result.stdout


def test_configure_validates_against_freshdesk(
    settings: Settings, db: Database, sandbox: RunningSandbox
) -> None:
    assert _connect(settings, sandbox).exit_code == 0
    groups = httpx.get(
        f"{sandbox.url}/api/v2/groups", auth=(sandbox.keys["freshdesk_api_key"], "X")
    ).json()
    support = next(g["id"] for g in groups if g["name"] == "Support")
    result = _run(
        settings,
        "configure",
        "freshdesk",
        "--group",
        str(support),
        "--priority",
        "3",
        "--tag",
        "relaydesk",
        "--tag",
        "vip",
        "--map",
        "plan=cf_plan",
        "--map",
        "account_id=cf_account_id",
        "--set",
        "cf_region=EU",
        "--json",
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["group_id"] == support and shown["tags"] == ["relaydesk", "vip"]
    with db.session() as session:
        conn = load_connection(session, load_secret_box(settings), "freshdesk")
    assert conn is not None
    config = FreshdeskConfig.from_options(conn.options)
    assert [(m.field, m.attribute, m.value) for m in config.field_mapping] == [
        ("cf_plan", "plan", None),
        ("cf_account_id", "account_id", None),
        ("cf_region", None, "EU"),
    ]
    # a later call keeps what it does not mention
    again = _run(settings, "configure", "freshdesk", "--status", "3")
    assert again.exit_code == 0, again.output
    assert "priority 3, status 3" in again.stdout


def test_configure_refuses_unknown_fields_and_wrong_values(
    settings: Settings, db: Database, sandbox: RunningSandbox
) -> None:
    assert _connect(settings, sandbox).exit_code == 0
    result = _run(
        settings,
        "configure",
        "freshdesk",
        "--group",
        "424242",
        "--map",
        "plan=cf_tier",
        "--set",
        "cf_seats=lots",
    )
    assert result.exit_code == 1
    out = result.output
    assert "no group 424242" in out
    assert "no ticket field 'cf_tier'" in out
    assert "not a whole number" in out
    bad = _run(settings, "configure", "freshdesk", "--group", "1", "--map", "plan")
    assert bad.exit_code == 1 and "NAME=VALUE" in bad.output


def test_configure_needs_a_connection(settings: Settings, db: Database) -> None:
    result = _run(settings, "configure", "freshdesk", "--group", "1")
    assert result.exit_code == 1
    assert "relaydesk connect freshdesk" in result.output


def test_configure_list_shows_what_to_choose_from(
    settings: Settings, db: Database, sandbox: RunningSandbox
) -> None:
    assert _connect(settings, sandbox).exit_code == 0
    text = _run(settings, "configure", "freshdesk", "--list")
    assert text.exit_code == 0, text.output
    assert "Support" in text.stdout and "cf_plan  (custom_text)" in text.stdout
    assert "priority (--priority): 1 Low, 2 Medium, 3 High, 4 Urgent" in text.stdout
    data = json.loads(_run(settings, "configure", "freshdesk", "--list", "--json").stdout)
    assert {g["name"] for g in data["groups"]} >= {"Support", "Billing"}
    assert any(f["name"] == "cf_region" and f["choices"] for f in data["ticket_fields"])
    assert data["source"]["7"] == "Chat"
