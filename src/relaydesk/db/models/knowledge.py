"""Knowledge base tables: articles and their passages (with stored embeddings).

Owned by the knowledge package; see relaydesk.knowledge. The lexical index over passages
(SQLite FTS5 table ``knowledge_passages_fts`` or PostgreSQL's tsvector expression index) is
created by the hand-written migration ``0002_knowledge_search``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from relaydesk.db.base import Base, UTCDateTime, utcnow
from relaydesk.db.models._columns import created_column, id_column


class Article(Base):
    """One help-center article, imported from one file; ``content_hash`` drives re-import."""

    __tablename__ = "knowledge_articles"

    id: Mapped[str] = id_column()
    slug: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    source_path: Mapped[str] = mapped_column(String(4000))
    body: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    embedder: Mapped[str] = mapped_column(String(128))
    # Article-level embeddings (float32 bytes): the title alone, and the outline
    # ("Title. Heading; Heading; …"), which say what the article is about as a whole.
    title_embedding: Mapped[bytes] = mapped_column(LargeBinary)
    outline_embedding: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    passages: Mapped[list[Passage]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Passage.position",
    )


class Passage(Base):
    """A heading-delimited piece of an article, with its embedding (float32 bytes).

    ``id`` is an integer so the SQLite FTS5 index can key on it as its rowid.
    ``search_text`` is what the lexical index sees: title, heading path and text.
    """

    __tablename__ = "knowledge_passages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(
        ForeignKey("knowledge_articles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    heading_path: Mapped[str] = mapped_column(Text)  # JSON list of headings
    text: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)
    embedding: Mapped[bytes] = mapped_column(LargeBinary)

    article: Mapped[Article] = relationship(back_populates="passages")
