"""After-commit work: dispatched on the outermost commit, dropped with its (sub)transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from relaydesk.db.after_commit import (
    pending_after_commit,
    queue_after_commit,
    register_dispatcher,
)
from relaydesk.db.engine import Database
from relaydesk.db.models.connectors import ProductSetting

pytestmark = pytest.mark.postgres


@pytest.fixture
def dispatched() -> Iterator[list[Any]]:
    got: list[Any] = []

    def dispatch(session: Session, items: list[Any]) -> None:
        got.extend(items)

    register_dispatcher("test.after_commit", dispatch)
    yield got


def test_items_are_dispatched_after_the_commit_in_order(
    db: Database, dispatched: list[Any]
) -> None:
    with db.transaction() as session:
        queue_after_commit(session, "test.after_commit", 1)
        queue_after_commit(session, "test.after_commit", 2)
        assert pending_after_commit(session, "test.after_commit") == [1, 2]
        assert dispatched == []
    assert dispatched == [1, 2]


def test_a_rollback_drops_its_items(db: Database, dispatched: list[Any]) -> None:
    with pytest.raises(RuntimeError), db.transaction() as session:
        queue_after_commit(session, "test.after_commit", "lost")
        raise RuntimeError("boom")
    with db.transaction() as session:
        queue_after_commit(session, "test.after_commit", "kept")
    assert dispatched == ["kept"]


def test_a_failed_savepoint_drops_only_what_it_queued(db: Database, dispatched: list[Any]) -> None:
    with db.transaction() as session:
        session.add(ProductSetting(key="dup", value=1))
        session.flush()
        queue_after_commit(session, "test.after_commit", "outer")
        with pytest.raises(IntegrityError), session.begin_nested():
            queue_after_commit(session, "test.after_commit", "inside failed savepoint")
            session.add(ProductSetting(key="dup", value=2))
            session.flush()
        with session.begin_nested():
            queue_after_commit(session, "test.after_commit", "inside released savepoint")
        queue_after_commit(session, "test.after_commit", "outer again")
    assert dispatched == ["outer", "inside released savepoint", "outer again"]
