"""Work to do after a transaction commits (zulip's ``on_commit``), dropped if it rolls back.

``queue_after_commit(session, kind, item)`` remembers item in the session's current
transaction — the innermost savepoint, if one is open. When the outermost transaction
commits, each kind's dispatcher (``register_dispatcher``) gets its items in order. When a
transaction or savepoint rolls back, the items queued inside it are dropped, and only those:
a failed savepoint does not lose what the enclosing transaction queued.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)

_INFO_KEY = "relaydesk.after_commit"
Dispatcher = Callable[[Session, list[Any]], None]
_dispatchers: dict[str, Dispatcher] = {}
_lock = threading.Lock()
_installed = False


def register_dispatcher(kind: str, dispatcher: Dispatcher) -> None:
    """Make dispatcher(session, items) receive the items of kind after each commit."""
    _dispatchers[kind] = dispatcher
    _install()


def queue_after_commit(session: Session, kind: str, item: Any) -> None:
    """Remember item until session's transaction commits (or drop it if it rolls back)."""
    _install()
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_INFO_KEY, []).append((transaction, kind, item))


def pending_after_commit(session: Session, kind: str) -> list[Any]:
    """Return the items of kind queued on session and not yet dispatched."""
    return [item for _tx, k, item in session.info.get(_INFO_KEY, []) if k == kind]


def _install() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)
        _installed = True


def _after_commit(session: Session) -> None:
    entries = session.info.pop(_INFO_KEY, None)
    if not entries:
        return
    by_kind: dict[str, list[Any]] = {}
    for _tx, kind, item in entries:
        by_kind.setdefault(kind, []).append(item)
    for kind, items in by_kind.items():
        dispatcher = _dispatchers.get(kind)
        if dispatcher is None:
            continue
        try:
            dispatcher(session, items)
        except Exception:
            log.exception("after-commit dispatch failed", extra={"kind": kind})


def _after_soft_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    entries = session.info.get(_INFO_KEY)
    if not entries:
        return
    # A failed flush reports its own (sub)transaction; what it rolled back is the nearest
    # savepoint or the root transaction around it.
    boundary = previous_transaction
    while not boundary.nested and boundary.parent is not None:
        boundary = boundary.parent
    kept = [e for e in entries if not _within(e[0], boundary)]
    if kept:
        session.info[_INFO_KEY] = kept
    else:
        session.info.pop(_INFO_KEY, None)


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False
