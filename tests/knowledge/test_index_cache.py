"""The knowledge index's cache file: used only when it matches the stored knowledge base."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from relaydesk.db.engine import Database
from relaydesk.knowledge import HashingEmbedder, KnowledgeIndex, import_articles
from relaydesk.knowledge.index_cache import CACHE_FILE, cache_key, read_cache, write_cache
from relaydesk.knowledge.queries import knowledge_version

pytestmark = pytest.mark.postgres

QUERIES = [
    "how often should I descale the machine",
    "pause my capsule subscription",
    "send my machine for repair",
    "stronger coffee",
    "water tank litres",
    "nothing here matches xylophone",
]


def results(index: KnowledgeIndex) -> list[object]:
    """Everything a search returns, for every query: articles, passages, scores."""
    out: list[object] = []
    for query in QUERIES:
        out.append(index.search(query, k=5))
        out.append(index.search_passages(query, k=8))
    return out


def inode(path: Path) -> int:
    """The file's inode: a rewritten cache is a new file renamed into place."""
    return path.stat().st_ino


def current_key(db: Database, embedder: HashingEmbedder) -> dict[str, object]:
    with db.session() as session:
        version = knowledge_version(session)
    return cache_key(db.url, embedder.name, embedder.dim, version)


def test_cached_index_searches_exactly_like_a_fresh_one(
    db: Database, kb_dir: Path, tmp_path: Path
) -> None:
    embedder = HashingEmbedder()
    (kb_dir / "creme.md").write_text(
        "# Crème brûlée 🍮\n\nNaïve café owners torch the sugar. 日本語も.\n", encoding="utf-8"
    )
    import_articles(db, kb_dir, embedder)
    cache = tmp_path / "cache"
    fresh = KnowledgeIndex.load(db, embedder)
    assert not cache.exists()  # no cache folder given: none written

    built = KnowledgeIndex.load(db, embedder, cache_dir=cache)
    path = cache / CACHE_FILE
    assert path.is_file()
    written = inode(path)
    cached = KnowledgeIndex.load(db, embedder, cache_dir=cache)
    assert inode(path) == written  # a cache hit does not rewrite the file

    assert results(cached) == results(fresh) == results(built)
    assert len(cached) == len(fresh) == 5
    assert cached.search("send my machine for repair")[0].url is None  # warranty has none
    creme = cached.search("crème brûlée café sugar")[0]
    assert creme.title == "Crème brûlée 🍮" and "日本語" in creme.passages[0].text
    assert cached.passage_count == fresh.passage_count
    assert cached.knows_term("descal") and not cached.knows_term("xylophon")
    assert cached.terms_share_a_passage("capsul", "subscript")
    hit = cached.search("how often should I descale the machine")[0]
    assert hit.slug == "descale" and hit.passages[0].heading_path[0] == "Descale your machine"


def test_update_and_prune_are_never_served_from_a_stale_cache(
    db: Database, kb_dir: Path, tmp_path: Path
) -> None:
    embedder = HashingEmbedder()
    cache = tmp_path / "cache"
    import_articles(db, kb_dir, embedder)
    KnowledgeIndex.load(db, embedder, cache_dir=cache)
    path = cache / CACHE_FILE
    first = inode(path)

    (kb_dir / "descale.md").write_text("# Descale your machine\n\nDescale every 6 months.\n")
    assert import_articles(db, kb_dir, embedder).updated == ["descale"]
    updated = KnowledgeIndex.load(db, embedder, cache_dir=cache)
    assert "6 months" in updated.search("descale how often")[0].passages[0].text
    assert results(updated) == results(KnowledgeIndex.load(db, embedder))
    assert inode(path) != first  # rebuilt and saved again

    (kb_dir / "warranty.md").unlink()
    assert import_articles(db, kb_dir, embedder, prune=True).removed == ["warranty"]
    pruned = KnowledgeIndex.load(db, embedder, cache_dir=cache)
    assert len(pruned) == 3
    assert all(h.slug != "warranty" for h in pruned.search("repair warranty"))
    assert results(pruned) == results(KnowledgeIndex.load(db, embedder))

    again = inode(path)
    import_articles(db, kb_dir, embedder)  # nothing changed: the cache stays valid
    assert results(KnowledgeIndex.load(db, embedder, cache_dir=cache)) == results(pruned)
    assert inode(path) == again


def test_a_cache_for_other_passages_is_not_used(db: Database, kb_dir: Path, tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    import_articles(db, kb_dir, embedder)
    cache = tmp_path / "cache"
    KnowledgeIndex.load(db, embedder, cache_dir=cache)
    path = cache / CACHE_FILE
    key = current_key(db, embedder)
    parts = read_cache(path, key)
    assert parts is not None
    # Same key, other passage ids (as if the key had missed a change): the guard decides.
    wrong = replace(parts, passage_ids=parts.passage_ids + 1000, vectors=parts.vectors * 0)
    assert write_cache(path, key, wrong)
    index = KnowledgeIndex.load(db, embedder, cache_dir=cache)
    assert results(index) == results(KnowledgeIndex.load(db, embedder))
    repaired = read_cache(path, key)
    assert repaired is not None
    assert np.array_equal(repaired.passage_ids, parts.passage_ids)


def test_an_unreadable_cache_is_rebuilt(db: Database, kb_dir: Path, tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    import_articles(db, kb_dir, embedder)
    cache = tmp_path / "cache"
    KnowledgeIndex.load(db, embedder, cache_dir=cache)
    path = cache / CACHE_FILE
    whole = path.read_bytes()
    fresh = results(KnowledgeIndex.load(db, embedder))
    for damaged in (b"not a cache", whole[: len(whole) // 2], b""):
        path.write_bytes(damaged)
        assert read_cache(path, current_key(db, embedder)) is None
        assert results(KnowledgeIndex.load(db, embedder, cache_dir=cache)) == fresh
        assert read_cache(path, current_key(db, embedder)) is not None


def test_the_key_names_database_embedder_and_version(db: Database, kb_dir: Path) -> None:
    embedder = HashingEmbedder()
    import_articles(db, kb_dir, embedder)
    with db.session() as session:
        version = knowledge_version(session)
    key = cache_key(db.url, embedder.name, embedder.dim, version)
    assert cache_key("sqlite:///other.db", embedder.name, embedder.dim, version) != key
    assert cache_key(db.url, "other-model", embedder.dim, version) != key
    assert cache_key(db.url, embedder.name, 128, version) != key
    assert cache_key(db.url, embedder.name, embedder.dim, (5, *version[1:])) != key


def test_a_cache_of_another_key_is_ignored(db: Database, kb_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    small = HashingEmbedder(dim=64)
    import_articles(db, kb_dir, small)
    KnowledgeIndex.load(db, small, cache_dir=cache)
    # Re-import with another model: new embeddings, and a cache keyed by the old model.
    large = HashingEmbedder(dim=256)
    assert len(import_articles(db, kb_dir, large).updated) == 4
    index = KnowledgeIndex.load(db, large, cache_dir=cache)
    assert index.search("descale how often")[0].slug == "descale"
    assert results(index) == results(KnowledgeIndex.load(db, large))


def test_import_brings_the_cache_up_to_date(db: Database, kb_dir: Path, tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    cache = tmp_path / "cache"
    import_articles(db, kb_dir, embedder, index_cache_dir=cache)
    path = cache / CACHE_FILE
    assert read_cache(path, current_key(db, embedder)) is not None
    written = inode(path)
    KnowledgeIndex.load(db, embedder, cache_dir=cache)
    assert inode(path) == written  # the first load after the import uses it as it is

    (kb_dir / "descale.md").write_text("# Descale your machine\n\nDescale every 6 months.\n")
    import_articles(db, kb_dir, embedder, index_cache_dir=cache)
    assert read_cache(path, current_key(db, embedder)) is not None
    written = inode(path)
    index = KnowledgeIndex.load(db, embedder, cache_dir=cache)
    assert inode(path) == written
    assert "6 months" in index.search("descale how often")[0].passages[0].text


def test_an_article_rewritten_under_the_same_passage_ids_is_not_served_stale(
    db: Database, tmp_path: Path
) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "only.md").write_text("# Only article\n\nThe kettle boils water.\n")
    embedder = HashingEmbedder()
    cache = tmp_path / "cache"
    import_articles(db, kb, embedder)
    before = KnowledgeIndex.load(db, embedder, cache_dir=cache)
    (kb / "only.md").write_text("# Only article\n\nThe toaster browns bread.\n")
    import_articles(db, kb, embedder)  # SQLite may hand the new passage the old one's id
    after = KnowledgeIndex.load(db, embedder, cache_dir=cache)
    assert after.knows_term("toaster") and not after.knows_term("kettl")
    assert results(after) == results(KnowledgeIndex.load(db, embedder))
    assert results(after) != results(before)


def test_an_empty_knowledge_base_round_trips(db: Database, tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    cache = tmp_path / "cache"
    built = KnowledgeIndex.load(db, embedder, cache_dir=cache)
    path = cache / CACHE_FILE
    assert read_cache(path, current_key(db, embedder)) is not None
    written = inode(path)
    cached = KnowledgeIndex.load(db, embedder, cache_dir=cache)
    assert inode(path) == written
    assert len(cached) == len(built) == 0 and cached.passage_count == 0
    assert cached.search("anything") == [] and cached.search_passages("anything") == []
    assert not cached.knows_term("anyth")
