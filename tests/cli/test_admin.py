"""`relaydesk admin token create|list|revoke`: admin API tokens from the command line."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from relaydesk.app import create_app
from relaydesk.db.engine import Database
from relaydesk.settings import Settings

pytestmark = pytest.mark.postgres

runner = CliRunner()


def _run(settings: Settings, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app_cli(),
        [*args, "--data-dir", str(settings.data_dir)],
        env={"RELAYDESK_DATABASE_URL": settings.resolved_database_url},
    )
    return result.exit_code, result.stdout, result.output


def app_cli() -> object:
    from relaydesk.cli import app

    return app


async def _whoami(settings: Settings, db: Database, token: str) -> int:
    app = create_app(settings.model_copy(update={"worker_enabled": False}), db=db)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://relay.test",
        headers={"Authorization": f"Bearer {token}"},
    ) as client:
        return (await client.get("/admin/api/v1/whoami")).status_code


async def test_create_list_revoke(settings: Settings, db: Database) -> None:
    code, token, _ = _run(settings, "admin", "token", "create", "--name", "ops")
    token = token.strip()
    assert code == 0 and token.startswith("rdk")
    assert await _whoami(settings, db, token) == 200
    code, listed, _ = _run(settings, "admin", "token", "list")
    assert code == 0 and "ops" in listed and token not in listed
    token_id = listed.split()[0]
    code, _, _ = _run(settings, "admin", "token", "revoke", token_id)
    assert code == 0
    assert await _whoami(settings, db, token) == 401


@pytest.mark.parametrize("bad", ["", "   ", "no-such-token"])
def test_revoke_of_no_single_token_fails_clearly(
    settings: Settings, db: Database, bad: str
) -> None:
    code, created, _ = _run(settings, "admin", "token", "create")
    assert code == 0
    code, _, output = _run(settings, "admin", "token", "revoke", bad)
    assert code == 1 and "no single admin token" in output, output
    code, listed, _ = _run(settings, "admin", "token", "list")
    assert "revoked" not in listed  # the only token was not revoked by an empty id


def test_create_refuses_a_bad_name(settings: Settings, db: Database) -> None:
    for name in ("", "x" * 129):
        code, _, output = _run(settings, "admin", "token", "create", "--name", name)
        assert code == 1 and "name" in output, output
