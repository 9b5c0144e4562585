"""`relaydesk connect freshchat`, `configure freshchat`, `logs` against the sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relaydesk.cli import app
from relaydesk.connectors.connections import load_connection
from relaydesk.db.engine import Database
from relaydesk.sandbox import RunningSandbox
from relaydesk.security.secrets import load_secret_box
from relaydesk.settings import Settings
from tests.connectors.servers import closed_port

runner = CliRunner()


@pytest.fixture
def key_file(tmp_path: Path, sandbox: RunningSandbox) -> Path:
    path = tmp_path / "freshchat.pem"
    # as pasted from a Windows browser: CRLF line ends and a blank line
    path.write_text(sandbox.keys.webhook_public_key_pem.replace("\n", "\r\n") + "\r\n\r\n")
    return path


def _args(settings: Settings, *extra: str) -> list[str]:
    return [*extra, "--data-dir", str(settings.data_dir)]


def _env(settings: Settings) -> dict[str, str]:
    return {"RELAYDESK_DATABASE_URL": settings.resolved_database_url}


def test_connect_checks_and_stores_encrypted(
    settings: Settings, db: Database, sandbox: RunningSandbox, key_file: Path
) -> None:
    result = runner.invoke(
        app,
        _args(
            settings,
            "connect",
            "freshchat",
            "--base-url",
            sandbox.url + "/v2",
            "--api-key",
            sandbox.keys.freshchat_api_key,
            "--webhook-public-key",
            str(key_file),
            "--json",
        ),
        env=_env(settings),
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["checked"] is True and summary["agents"] == 3 and summary["channels"] == 2
    assert summary["webhook_url"].endswith("/webhooks/freshchat")
    with db.session() as session:
        conn = load_connection(session, load_secret_box(settings), "freshchat")
    assert conn is not None and conn.api_key == sandbox.keys.freshchat_api_key
    assert conn.base_url == sandbox.url and conn.options["app_id"]
    assert sandbox.keys.freshchat_api_key if (settings.data_dir / "relaydesk.db").exists() else True

    logs = runner.invoke(
        app, _args(settings, "logs", "--system", "freshchat", "--json"), env=_env(settings)
    )
    assert logs.exit_code == 0, logs.output
    lines = [json.loads(line) for line in logs.stdout.splitlines()]
    assert any(e["path"] == "/v2/accounts/configuration" and e["status"] == 200 for e in lines)
    assert sandbox.keys.freshchat_api_key not in logs.stdout


@pytest.mark.parametrize(
    ("base", "key", "reason"),
    [
        ("SANDBOX", "wrong-key", "bad_key"),
        ("SANDBOX/not-freshchat", "KEY", "wrong_domain"),
        ("http://no-such-host.invalid", "KEY", "wrong_domain"),
        ("CLOSED", "KEY", "unreachable"),
    ],
)
def test_connect_refuses_with_the_reason(
    settings: Settings,
    db: Database,
    sandbox: RunningSandbox,
    key_file: Path,
    base: str,
    key: str,
    reason: str,
) -> None:
    base_url = base.replace("SANDBOX", sandbox.url).replace(
        "CLOSED", f"http://127.0.0.1:{closed_port()}"
    )
    api_key = key.replace("KEY", sandbox.keys.freshchat_api_key)
    result = runner.invoke(
        app,
        _args(
            settings,
            "connect",
            "freshchat",
            "--base-url",
            base_url,
            "--api-key",
            api_key,
            "--webhook-public-key",
            str(key_file),
        ),
        env=_env(settings),
    )
    assert result.exit_code == 1
    assert f"({reason})" in result.stderr
    with db.session() as session:
        assert load_connection(session, load_secret_box(settings), "freshchat") is None


def test_connect_refuses_a_bad_key_file(
    settings: Settings, db: Database, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN RSA PUBLIC KEY-----\nnot a key\n-----END RSA PUBLIC KEY-----\n")
    for path in (bad, tmp_path / "missing.pem"):
        result = runner.invoke(
            app,
            _args(
                settings,
                "connect",
                "freshchat",
                "--base-url",
                sandbox.url,
                "--api-key",
                "k",
                "--webhook-public-key",
                str(path),
                "--no-check",
            ),
            env=_env(settings),
        )
        assert result.exit_code == 1, result.output


def test_no_check_stores_without_calling(settings: Settings, db: Database, key_file: Path) -> None:
    result = runner.invoke(
        app,
        _args(
            settings,
            "connect",
            "freshchat",
            "--base-url",
            "acme",
            "--api-key",
            "abc123456789",
            "--webhook-public-key",
            str(key_file),
            "--no-check",
        ),
        env=_env(settings),
    )
    assert result.exit_code == 0, result.output
    assert "https://acme.freshchat.com" in result.stdout


def test_configure_validates_ids_against_freshchat(
    settings: Settings, db: Database, sandbox: RunningSandbox, key_file: Path
) -> None:
    runner.invoke(
        app,
        _args(
            settings,
            "connect",
            "freshchat",
            "--base-url",
            sandbox.url,
            "--api-key",
            sandbox.keys.freshchat_api_key,
            "--webhook-public-key",
            str(key_file),
        ),
        env=_env(settings),
    )
    listed = runner.invoke(
        app, _args(settings, "configure", "freshchat", "--list", "--json"), env=_env(settings)
    )
    assert listed.exit_code == 0, listed.output
    choices = json.loads(listed.stdout)
    ai = next(a["id"] for a in choices["agents"] if a["email"] == "ai-agent@example.com")
    group = next(g["id"] for g in choices["groups"] if g["name"] == "Support")
    channel = next(c["id"] for c in choices["channels"] if c["name"] == "Support")
    bad = runner.invoke(
        app,
        _args(
            settings,
            "configure",
            "freshchat",
            "--ai-agent",
            ai,
            "--group",
            "no-such-group",
            "--channel",
            channel,
        ),
        env=_env(settings),
    )
    assert bad.exit_code == 1 and "no group 'no-such-group'" in bad.stderr
    ok = runner.invoke(
        app,
        _args(
            settings,
            "configure",
            "freshchat",
            "--ai-agent",
            ai,
            "--group",
            group,
            "--channel",
            channel,
            "--map",
            "plan=plan",
            "--json",
        ),
        env=_env(settings),
    )
    assert ok.exit_code == 0, ok.output
    stored = json.loads(ok.stdout)
    assert (stored["ai_agent_id"], stored["escalation_group_id"], stored["channel_id"]) == (
        ai,
        group,
        channel,
    )
    assert stored["field_mapping"] == {"plan": "plan"}


def test_configure_without_connection_fails(settings: Settings, db: Database) -> None:
    result = runner.invoke(
        app, _args(settings, "configure", "freshchat", "--group", "g"), env=_env(settings)
    )
    assert result.exit_code == 1 and "not connected" in result.stderr


def test_logs_refuses_unknown_system(settings: Settings, db: Database) -> None:
    result = runner.invoke(app, _args(settings, "logs", "--system", "zendesk"), env=_env(settings))
    assert result.exit_code == 1


def test_connect_checks_the_crm_too(
    settings: Settings, db: Database, sandbox: RunningSandbox, key_file: Path
) -> None:
    base = ["connect", "freshchat", "--base-url", sandbox.url, "--api-key",
            sandbox.keys.freshchat_api_key, "--webhook-public-key", str(key_file),
            "--crm-base-url", sandbox.url]  # fmt: skip
    bad = runner.invoke(app, _args(settings, *base, "--crm-api-key", "wrong"), env=_env(settings))
    assert bad.exit_code == 1 and "(bad_key)" in bad.stderr and "CRM" in bad.stderr
    half = runner.invoke(
        app,
        _args(
            settings,
            "connect",
            "freshchat",
            "--base-url",
            sandbox.url,
            "--api-key",
            "k",
            "--webhook-public-key",
            str(key_file),
            "--crm-api-key",
            "x",
            "--no-check",
        ),
        env=_env(settings),
    )
    assert half.exit_code == 1 and "both" in half.stderr
    ok = runner.invoke(
        app,
        _args(settings, *base, "--crm-api-key", sandbox.keys.crm_api_key, "--bundle-alias", "acme"),
        env=_env(settings),
    )
    assert ok.exit_code == 0, ok.output
    with db.session() as session:
        crm = load_connection(session, load_secret_box(settings), "crm")
    assert crm is not None and crm.api_key == sandbox.keys.crm_api_key
    assert crm.options == {"bundle_alias": "acme"}
