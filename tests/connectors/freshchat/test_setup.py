"""Connecting again: the configuration kept from before must name things the account has."""

from __future__ import annotations

import pytest

from relaydesk.connectors.connections import load_connection
from relaydesk.connectors.freshchat.setup import configure_freshchat, connect_freshchat
from relaydesk.db.engine import Database
from relaydesk.sandbox import RunningSandbox
from relaydesk.security.secrets import load_secret_box
from relaydesk.settings import Settings
from tests.connectors.freshchat.stack import freshchat_ids

pytestmark = pytest.mark.postgres


async def _connect(db: Database, settings: Settings, sandbox: RunningSandbox) -> dict[str, object]:
    outcome = await connect_freshchat(
        db,
        load_secret_box(settings),
        base_url=sandbox.url,
        api_key=sandbox.keys.freshchat_api_key,
        webhook_public_key=sandbox.keys.webhook_public_key_pem,
    )
    return outcome.summary()


async def test_connecting_again_keeps_a_configuration_the_account_has(
    db: Database, settings: Settings, sandbox: RunningSandbox
) -> None:
    ids = freshchat_ids(sandbox)
    box = load_secret_box(settings)
    await _connect(db, settings, sandbox)
    wanted = {
        "ai_agent_id": ids["ai_agent"],
        "escalation_group_id": ids["group"],
        "channel_id": ids["channel"],
    }
    await configure_freshchat(db, box, wanted)
    summary = await _connect(db, settings, sandbox)  # a rotated token, say
    assert "unset" not in summary
    with db.session() as session:
        conn = load_connection(session, box, "freshchat")
    assert conn is not None
    assert {k: conn.options.get(k) for k in wanted} == wanted


async def test_connecting_to_another_account_unsets_what_it_does_not_have(
    db: Database, settings: Settings, sandbox: RunningSandbox
) -> None:
    ids = freshchat_ids(sandbox)
    box = load_secret_box(settings)
    await _connect(db, settings, sandbox)
    old_account = {  # ids of the account relaydesk was connected to before
        "ai_agent_id": "agent-of-the-old-account",
        "escalation_group_id": ids["group"],
        "channel_id": "topic-of-the-old-account",
    }
    await configure_freshchat(db, box, old_account, check=False)
    summary = await _connect(db, settings, sandbox)
    unset = summary["unset"]
    assert isinstance(unset, list)
    assert sorted(u["field"] for u in unset) == ["ai_agent_id", "channel_id"]
    with db.session() as session:
        conn = load_connection(session, box, "freshchat")
    assert conn is not None
    assert conn.options.get("ai_agent_id") is None and conn.options.get("channel_id") is None
    assert conn.options["escalation_group_id"] == ids["group"]
