"""Product settings: JSON rows with defaults and typed accessors."""

from __future__ import annotations

import pytest

from relaydesk.config.actions import do_delete_product_setting, do_set_product_setting
from relaydesk.config.keys import PREVENT_REPLIES_WHEN_CLOSED
from relaydesk.config.queries import (
    auto_resolve_after_seconds,
    get_product_setting,
    list_product_settings,
    prevent_replies_when_closed,
)
from relaydesk.db.engine import Database
from relaydesk.errors import InvalidInput

pytestmark = pytest.mark.postgres


def test_settings_default_until_set_and_can_be_replaced(db: Database) -> None:
    with db.session() as session:
        assert get_product_setting(session, "deploy_rules", {"include": []}) == {"include": []}
        assert prevent_replies_when_closed(session) is PREVENT_REPLIES_WHEN_CLOSED.default
        assert auto_resolve_after_seconds(session) == 86400
    with db.transaction() as session:
        do_set_product_setting(session, "prevent_replies_when_closed", False)
        do_set_product_setting(session, "auto_resolve_after_seconds", 60)
        do_set_product_setting(session, "deploy_rules", {"include": ["*/help/*"]})
    with db.transaction() as session:
        do_set_product_setting(session, "auto_resolve_after_seconds", 120)
    with db.session() as session:
        assert prevent_replies_when_closed(session) is False
        assert auto_resolve_after_seconds(session) == 120
        assert list_product_settings(session)["deploy_rules"] == {"include": ["*/help/*"]}
    with db.transaction() as session:
        do_delete_product_setting(session, "auto_resolve_after_seconds")
    with db.session() as session:
        assert auto_resolve_after_seconds(session) == 86400


def test_a_malformed_stored_value_falls_back_to_the_default(db: Database) -> None:
    with db.transaction() as session:
        do_set_product_setting(session, "auto_resolve_after_seconds", "soon")
    with db.session() as session:
        assert auto_resolve_after_seconds(session) == 86400


def test_bad_keys_and_values_are_refused(db: Database) -> None:
    with db.transaction() as session:
        with pytest.raises(InvalidInput):
            do_set_product_setting(session, "", 1)
        with pytest.raises(InvalidInput):
            do_set_product_setting(session, "k" * 65, 1)
        with pytest.raises(InvalidInput, match="not JSON"):
            do_set_product_setting(session, "x", {1, 2})
