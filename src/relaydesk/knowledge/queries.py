"""Reads of knowledge articles and passages."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from relaydesk.db.models.knowledge import Article, Passage
from relaydesk.errors import NotFound


class ArticleNotFound(NotFound):
    """No article has this slug."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"no article with slug {slug!r}")
        self.slug = slug


@dataclass(frozen=True)
class Fingerprint:
    """What re-import compares: the file's hash, the embedder the passages were made with, and
    the title, url and body (its SHA-256) read from the file."""

    article_id: str
    content_hash: str
    embedder: str
    title: str
    url: str | None
    body_digest: str


class PassageRow(NamedTuple):
    """One passage with its article's fields, as the in-memory index loads it."""

    passage_id: int
    slug: str
    title: str
    url: str | None
    heading_path: str
    text: str
    search_text: str
    embedding: bytes


class ArticleVectorRow(NamedTuple):
    """An article's own stored embeddings, as the in-memory index loads them."""

    slug: str
    title_embedding: bytes
    outline_embedding: bytes


def list_articles(session: Session) -> list[tuple[Article, int]]:
    """Return every article with its number of passages, by slug."""
    counts = (
        select(Passage.article_id, func.count(Passage.id).label("n"))
        .group_by(Passage.article_id)
        .subquery()
    )
    rows = session.execute(
        select(Article, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.article_id == Article.id)
        .order_by(Article.slug)
    ).all()
    return [(article, int(n)) for article, n in rows]


def get_article(session: Session, slug: str) -> Article:
    """Return the article with slug and its passages; raise ArticleNotFound."""
    article = session.scalars(
        select(Article).where(Article.slug == slug).options(selectinload(Article.passages))
    ).one_or_none()
    if article is None:
        raise ArticleNotFound(slug)
    return article


def article_fingerprints(session: Session) -> dict[str, Fingerprint]:
    """Return slug → Fingerprint for every stored article."""
    stmt = select(
        Article.slug,
        Article.id,
        Article.content_hash,
        Article.embedder,
        Article.title,
        Article.url,
        Article.body,
    )
    # Streamed, keeping only each body's digest: the bodies together may be large.
    rows = session.connection().execute(stmt.execution_options(yield_per=1000))
    return {
        slug: Fingerprint(aid, digest, emb, title, url, body_digest(body))
        for slug, aid, digest, emb, title, url, body in rows
    }


def body_digest(body: str) -> str:
    """Return the SHA-256 of an article's stored body text."""
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def count_articles(session: Session) -> int:
    """Return the number of stored articles."""
    return int(session.scalar(select(func.count(Article.id))) or 0)


def knowledge_version(session: Session) -> tuple[int, int, str]:
    """Return a cheap fingerprint of the whole knowledge base that changes with any import.

    (article count, highest passage id, latest article update): an added, changed or pruned
    article changes at least one of them.
    """
    articles, updated = session.execute(
        select(func.count(Article.id), func.max(Article.updated_at))
    ).one()
    top_passage = session.scalar(select(func.max(Passage.id)))
    return int(articles or 0), int(top_passage or 0), str(updated or "")


def count_passages(session: Session) -> int:
    """Return the number of stored passages."""
    return int(session.scalar(select(func.count(Passage.id))) or 0)


def passage_guard(session: Session) -> tuple[int, int]:
    """Return (number of passages, sum of their ids): what a cached index must also have."""
    count, total = session.execute(select(func.count(Passage.id), func.sum(Passage.id))).one()
    return int(count or 0), int(total or 0)


def iter_passage_rows(session: Session) -> Iterator[PassageRow]:
    """Yield every passage with its article's slug, title and url, article by article."""
    stmt = (
        select(
            Passage.id,
            Article.slug,
            Article.title,
            Article.url,
            Passage.heading_path,
            Passage.text,
            Passage.search_text,
            Passage.embedding,
        )
        .join(Article, Article.id == Passage.article_id)
        .order_by(Article.slug, Passage.position)
    )
    # Plain Core rows: no ORM layer for tens of thousands of rows.
    result = session.connection().execute(stmt.execution_options(yield_per=2000))
    for row in result:
        yield PassageRow(*row)


def iter_article_vectors(session: Session) -> Iterator[ArticleVectorRow]:
    """Yield every article's title and outline embeddings, by slug."""
    stmt = select(Article.slug, Article.title_embedding, Article.outline_embedding).order_by(
        Article.slug
    )
    for row in session.connection().execute(stmt.execution_options(yield_per=2000)):
        yield ArticleVectorRow(*row)
