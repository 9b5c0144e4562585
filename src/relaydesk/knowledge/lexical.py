"""Lexical search in the database: one function per dialect (the one raw-SQL module here).

- SQLite: the FTS5 table ``knowledge_passages_fts`` (porter stemming), ranked by ``bm25()``;
- PostgreSQL: ``to_tsvector('english', search_text)`` (GIN expression index), ranked by
  ``ts_rank``.

Both treat the query as an OR of its words, as a search box would. ``KnowledgeIndex`` ranks
with its own in-process BM25 (same results on both databases, and better on the evaluation
set, see docs/knowledge.md); these functions serve ad-hoc search and the comparison.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from relaydesk.knowledge.bm25 import STOPWORDS

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class LexicalHit:
    """A passage matched by the database's full-text search; higher ``score`` is better."""

    passage_id: int
    slug: str
    score: float


def query_words(query: str, *, limit: int = 32) -> list[str]:
    """Return the distinct searchable words of query (lower-case, no stop words)."""
    folded = unicodedata.normalize("NFKC", query.lower()).replace("'", "")
    words: list[str] = []
    for word in _WORD.findall(folded):
        if word not in STOPWORDS and word not in words:
            words.append(word)
    return words[:limit]


def search_fts5(session: Session, query: str, limit: int) -> list[LexicalHit]:
    """Search passages with SQLite FTS5, best first (score = -bm25)."""
    words = query_words(query)
    if not words:
        return []
    match = " OR ".join(f'"{w}"' for w in words)
    rows = session.execute(
        text(
            "SELECT f.rowid, a.slug, -bm25(knowledge_passages_fts) AS score "
            "FROM knowledge_passages_fts AS f "
            "JOIN knowledge_passages AS p ON p.id = f.rowid "
            "JOIN knowledge_articles AS a ON a.id = p.article_id "
            "WHERE knowledge_passages_fts MATCH :match "
            "ORDER BY bm25(knowledge_passages_fts) LIMIT :limit"
        ),
        {"match": match, "limit": limit},
    )
    return [LexicalHit(int(pid), str(slug), float(score)) for pid, slug, score in rows]


def search_tsvector(session: Session, query: str, limit: int) -> list[LexicalHit]:
    """Search passages with PostgreSQL full-text search, best first (score = ts_rank)."""
    words = query_words(query)
    if not words:
        return []
    rows = session.execute(
        text(
            "WITH q AS (SELECT to_tsquery('english', :tsquery) AS query) "
            "SELECT p.id, a.slug, ts_rank(to_tsvector('english', p.search_text), q.query) AS score "
            "FROM knowledge_passages AS p "
            "JOIN knowledge_articles AS a ON a.id = p.article_id, q "
            "WHERE to_tsvector('english', p.search_text) @@ q.query "
            "ORDER BY score DESC, p.id LIMIT :limit"
        ),
        {"tsquery": " | ".join(words), "limit": limit},
    )
    return [LexicalHit(int(pid), str(slug), float(score)) for pid, slug, score in rows]


def search_lexical(session: Session, query: str, limit: int) -> list[LexicalHit]:
    """Search passages with the full-text search of whichever database session is on."""
    if session.get_bind().dialect.name == "postgresql":
        return search_tsvector(session, query, limit)
    return search_fts5(session, query, limit)
