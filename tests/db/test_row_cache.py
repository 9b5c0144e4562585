"""The row cache: values trusted for a while, cleared by this process's commits."""

from __future__ import annotations

import pytest

from relaydesk.config.actions import do_set_product_setting
from relaydesk.config.queries import prevent_replies_when_closed
from relaydesk.connectors.queries import connection_state
from relaydesk.db.engine import Database
from relaydesk.db.row_cache import RowCache, cached
from relaydesk.settings import Settings
from tests.factories import make_freshchat_connection


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_values_are_reused_until_they_expire() -> None:
    clock = Clock()
    cache = RowCache(ttl=2.0, clock=clock)
    loads: list[int] = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    assert cache.get("k", load) == 1
    clock.now += 1.9
    assert cache.get("k", load) == 1
    clock.now += 0.2
    assert cache.get("k", load) == 2
    cache.clear()
    assert cache.get("k", load) == 3


def test_a_value_loaded_across_a_clear_is_not_kept() -> None:
    cache = RowCache(ttl=60.0)

    def load_while_cleared() -> str:
        cache.clear()  # another thread committed a change while this one was reading
        return "maybe stale"

    assert cache.get("k", load_while_cleared) == "maybe stale"
    assert cache.get("k", lambda: "fresh") == "fresh"


@pytest.mark.postgres
def test_a_rolled_back_change_keeps_the_cache(db: Database) -> None:
    with db.transaction() as session:
        assert prevent_replies_when_closed(session) is True  # the default, now cached
    with pytest.raises(RuntimeError), db.transaction() as session:
        do_set_product_setting(session, "prevent_replies_when_closed", False)
        assert prevent_replies_when_closed(session) is False  # its own write, not the cache
        raise RuntimeError("roll back")
    with db.transaction() as session:
        assert prevent_replies_when_closed(session) is True


@pytest.mark.postgres
def test_another_process_change_is_seen_within_the_ttl(db: Database, settings: Settings) -> None:
    other = Database(settings.database_url)  # another process: its own engine and cache
    try:
        db.row_cache.ttl = 0.0  # expire at once: the point is that it is re-read, not when
        with db.transaction() as session:
            assert connection_state(session, "freshchat").connected is False
        with other.transaction() as session:
            make_freshchat_connection(session, mirror_all=True)
        with db.transaction() as session:
            state = connection_state(session, "freshchat")
            assert state.connected and state.options == {"mirror_all": True}
    finally:
        other.dispose()


def test_sessions_without_a_cache_read_the_database() -> None:
    calls: list[int] = []

    class Bare:
        info: dict[str, object] = {}

    assert cached(Bare(), "k", lambda: calls.append(1) or 7) == 7  # type: ignore[arg-type]
    assert calls == [1]
