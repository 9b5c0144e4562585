"""Writes of knowledge articles and passages. Never commit: the caller owns the transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from relaydesk.db.base import utcnow
from relaydesk.db.models.knowledge import Article, Passage
from relaydesk.knowledge.parsing import ParsedArticle


@dataclass(frozen=True)
class ArticleVectors:
    """An article's own embeddings: its title, and its outline (title and headings)."""

    title: np.ndarray
    outline: np.ndarray


def _to_bytes(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype=np.float32).tobytes()


@dataclass(frozen=True)
class PassageData:
    """A passage ready to store: its place, texts and embedding."""

    heading_path: tuple[str, ...]
    text: str
    search_text: str
    embedding: np.ndarray


def do_save_article(
    session: Session,
    parsed: ParsedArticle,
    passages: Sequence[PassageData],
    vectors: ArticleVectors,
    *,
    embedder: str,
    article_id: str | None = None,
) -> Article:
    """Insert the article (or replace the one with article_id) together with its passages."""
    if article_id is None:
        article = Article(slug=parsed.slug)
        session.add(article)
    else:
        article = session.get_one(Article, article_id)
        session.execute(delete(Passage).where(Passage.article_id == article_id))
    article.title = parsed.title
    article.url = parsed.url
    article.source_path = parsed.source_path
    article.body = parsed.body
    article.content_hash = parsed.content_hash
    article.embedder = embedder
    article.title_embedding = _to_bytes(vectors.title)
    article.outline_embedding = _to_bytes(vectors.outline)
    article.updated_at = utcnow()
    session.flush()
    if passages:
        session.execute(
            insert(Passage),
            [
                {
                    "article_id": article.id,
                    "position": i,
                    "heading_path": json.dumps(list(p.heading_path), ensure_ascii=False),
                    "text": p.text,
                    "search_text": p.search_text,
                    "embedding": _to_bytes(p.embedding),
                }
                for i, p in enumerate(passages)
            ],
        )
    session.flush()
    return article


def do_touch_source(session: Session, article_id: str, source_path: str) -> None:
    """Record where an unchanged article's file now lives."""
    article = session.get_one(Article, article_id)
    if article.source_path != source_path:
        article.source_path = source_path


def do_delete_articles(session: Session, slugs: Sequence[str]) -> int:
    """Delete the articles with these slugs (and their passages); return how many went."""
    if not slugs:
        return 0
    ids = list(session.scalars(select(Article.id).where(Article.slug.in_(list(slugs)))))
    if not ids:
        return 0
    session.execute(delete(Passage).where(Passage.article_id.in_(ids)))
    session.execute(delete(Article).where(Article.id.in_(ids)))
    return len(ids)
