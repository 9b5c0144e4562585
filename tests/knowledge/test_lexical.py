from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.db.engine import Database
from relaydesk.knowledge import HashingEmbedder, import_articles
from relaydesk.knowledge.lexical import query_words, search_lexical

pytestmark = pytest.mark.postgres


def test_query_words_drop_stop_words_and_punctuation() -> None:
    assert query_words("How do I descale the machine's tank?") == ["descale", "machines", "tank"]
    assert query_words("the a of") == []


def test_database_full_text_search_finds_stemmed_words(db: Database, kb_dir: Path) -> None:
    import_articles(db, kb_dir, HashingEmbedder())
    with db.session() as session:
        hits = search_lexical(session, "descaling cycles", 5)
        assert hits and hits[0].slug == "descale"
        assert all(h.score > 0 for h in hits)
        assert search_lexical(session, "the of", 5) == []
        assert search_lexical(session, 'quote " and * OR', 5) == []


def test_full_text_index_follows_updates_and_deletes(db: Database, kb_dir: Path) -> None:
    embedder = HashingEmbedder()
    import_articles(db, kb_dir, embedder)
    (kb_dir / "warranty.md").write_text("# Warranty\n\nThe guarantee lasts 5 years.\n")
    import_articles(db, kb_dir, embedder)
    with db.session() as session:
        assert [h.slug for h in search_lexical(session, "guarantee", 5)] == ["warranty"]
        assert search_lexical(session, "limescale drops", 5) == []
    (kb_dir / "warranty.md").unlink()
    import_articles(db, kb_dir, embedder, prune=True)
    with db.session() as session:
        assert search_lexical(session, "guarantee", 5) == []
