"""Stored connections: keys encrypted at rest, options, base URL forms."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from relaydesk.connectors.connections import (
    load_connection,
    normalize_base_url,
    public_view,
    require_connection,
    save_connection,
    update_options,
)
from relaydesk.connectors.errors import NotConnected
from relaydesk.db.engine import Database
from relaydesk.db.models.connectors import Connection
from relaydesk.errors import InvalidInput
from relaydesk.security.secrets import load_secret_box
from relaydesk.settings import Settings

pytestmark = pytest.mark.postgres


def test_key_is_encrypted_at_rest_and_loads_back(settings: Settings, db: Database) -> None:
    box = load_secret_box(settings)
    with db.transaction() as session:
        save_connection(
            session,
            box,
            system="freshchat",
            base_url="https://acme.freshchat.com/v2",
            api_key="fc-secret-key-123",
            options={"channel_id": "c1"},
        )
    with db.session() as session:
        raw = session.scalars(select(Connection)).one()
        assert "fc-secret-key-123" not in raw.api_key_encrypted
        assert raw.base_url == "https://acme.freshchat.com"
        conn = load_connection(session, box, "freshchat")
    assert conn is not None and conn.api_key == "fc-secret-key-123"
    assert conn.freshchat_options().channel_id == "c1"
    assert conn.freshchat_options().auto_resolve_seconds is None
    assert "fc-secret" not in repr(conn)
    assert public_view(conn)["api_key"] == "…-123"


def test_missing_connection_is_not_connected(settings: Settings, db: Database) -> None:
    box = load_secret_box(settings)
    with db.session() as session, pytest.raises(NotConnected):
        require_connection(session, box, "freshchat")
    with db.transaction() as session, pytest.raises(NotConnected):
        update_options(session, "freshchat", {"mirror_all": True})


def test_options_merge(settings: Settings, db: Database) -> None:
    box = load_secret_box(settings)
    with db.transaction() as session:
        save_connection(
            session,
            box,
            system="freshchat",
            base_url="acme",
            api_key="k" * 10,
            options={"channel_id": "c1"},
        )
        merged = update_options(session, "freshchat", {"mirror_all": True})
    assert merged == {"channel_id": "c1", "mirror_all": True}


@pytest.mark.parametrize(
    ("value", "system", "expected"),
    [
        ("acme", "freshchat", "https://acme.freshchat.com"),
        ("https://api.eu.freshchat.com/v2/", "freshchat", "https://api.eu.freshchat.com"),
        ("http://127.0.0.1:8900", "freshchat", "http://127.0.0.1:8900"),
        ("acme.freshdesk.com/api/v2", "freshdesk", "https://acme.freshdesk.com"),
        ("widgetz", "crm", "https://widgetz.myfreshworks.com"),
        ("https://w.myfreshworks.com/crm/sales/api", "crm", "https://w.myfreshworks.com"),
    ],
)
def test_base_url_forms(value: str, system: str, expected: str) -> None:
    assert normalize_base_url(value, system=system) == expected


@pytest.mark.parametrize("bad", ["", "ftp://x.y", "https://"])
def test_bad_base_urls_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        normalize_base_url(bad, system="freshchat")


def test_unknown_system_and_empty_key_are_refused(settings: Settings, db: Database) -> None:
    box = load_secret_box(settings)
    with db.transaction() as session:
        with pytest.raises(InvalidInput):
            save_connection(session, box, system="zendesk", base_url="x", api_key="k")
        with pytest.raises(InvalidInput):
            save_connection(session, box, system="crm", base_url="x", api_key="  ")


def test_old_log_entries_and_receipts_are_pruned(db: Database) -> None:
    from datetime import timedelta

    from relaydesk.connectors.actions import (
        do_prune_connector_records,
        do_record_integration_calls,
        do_record_webhook_receipts,
    )
    from relaydesk.connectors.http import LogEntry
    from relaydesk.connectors.queries import list_integration_log
    from relaydesk.db.base import utcnow

    old = utcnow() - timedelta(days=40)
    with db.transaction() as session:
        do_record_integration_calls(
            session,
            [
                LogEntry("freshchat", "GET", "/v2/old", 200, 1.0, created_at=old),
                LogEntry("freshchat", "GET", "/v2/new", 200, 1.0),
            ],
        )
        assert do_record_webhook_receipts(
            session, system="freshchat", event_keys=["a", "b", "a"]
        ) == {"a", "b"}
        assert do_record_webhook_receipts(session, system="freshchat", event_keys=["a", "c"]) == {
            "c"
        }
    with db.transaction() as session:
        assert do_prune_connector_records(session, before=utcnow() - timedelta(days=30)) == 1
        assert [e.path for e in list_integration_log(session)] == ["/v2/new"]
