"""A running agent picks up a knowledge import made by another process (no restart)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

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
    assert agent.refresh_if_changed() is False  # nothing changed yet

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
    assert fixed.refresh_if_changed() is False
