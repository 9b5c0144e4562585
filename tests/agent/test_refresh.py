"""A running agent picks up a knowledge import made by another process (no restart)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import text

from relaydesk.agent import Agent
from relaydesk.agent import agent as agent_module
from relaydesk.db.engine import Database
from relaydesk.knowledge import Embedder, import_articles

from .conftest import ARTICLES, write_kb

QUESTION = "how long is the warranty on the espresso machine?"
WARRANTY = """---
title: Espresso machine warranty
url: https://help.lumen.test/warranty
---
# Espresso machine warranty

Every espresso machine has a 3-year warranty covering the pump and the boiler. To claim it,
send us the serial number printed under the drip tray.
"""


@pytest.mark.postgres
def test_import_is_picked_up_without_restart(
    agent: Agent, db: Database, tmp_path: Path, minilm: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(agent_module, "REFRESH_CHECK_SECONDS", 0.0)
    before = agent.respond(QUESTION)
    assert before.action == "abstain"
    index = agent.index
    # respond started a check of its own; a new one starts once that one has finished.
    deadline = time.monotonic() + 10
    check = agent.refresh_if_changed()
    while check is None and time.monotonic() < deadline:
        time.sleep(0.01)
        check = agent.refresh_if_changed()
    assert check is not None
    check.join(10)
    assert agent.index is index  # nothing changed: no reload

    folder = write_kb(tmp_path / "more", {**ARTICLES, "warranty": WARRANTY})
    import_articles(db, folder, minilm)

    deadline = time.monotonic() + 30
    reply = agent.respond(QUESTION)
    while reply.action != "answer" and time.monotonic() < deadline:
        time.sleep(0.05)
        reply = agent.respond(QUESTION)
    assert reply.action == "answer"
    assert reply.sources[0].slug == "warranty"
    assert "3-year" in reply.answer


def test_an_agent_given_its_index_never_reloads_by_itself(
    db: Database, kb_dir: Path, minilm: Embedder, monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    from relaydesk.knowledge import KnowledgeIndex

    import_articles(db, kb_dir, minilm)
    fixed = Agent(settings, db, embedder=minilm, index=KnowledgeIndex.load(db, minilm))  # type: ignore[arg-type]
    monkeypatch.setattr(agent_module, "REFRESH_CHECK_SECONDS", 0.0)
    (kb_dir / "extra.md").write_text(WARRANTY, encoding="utf-8")
    import_articles(db, kb_dir, minilm)
    assert fixed.refresh_if_changed() is None


@pytest.mark.postgres
def test_the_check_never_waits_for_the_callers_write_transaction(
    agent: Agent, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The messenger may call respond while it holds SQLite's write lock; the check must not
    # block on it (it runs on its own thread and simply waits its turn there). Blocking would
    # last SQLite's 30 s busy timeout; an answer, the first of a run loading its models, can
    # take several seconds on a loaded machine, so the bound sits between the two.
    monkeypatch.setattr(agent_module, "REFRESH_CHECK_SECONDS", 0.0)
    with db.transaction() as session:
        session.execute(text("UPDATE knowledge_articles SET title = title"))
        started = time.monotonic()
        reply = agent.respond("how long does a reset link work?")
        assert time.monotonic() - started < 20
    assert reply.action == "answer"
