"""knowledge search: the lexical index over knowledge passages (hand-written, dialect-aware)

SQLite: an FTS5 table with the passages table as external content, kept in step by triggers.
PostgreSQL: a GIN expression index on to_tsvector('english', search_text).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_SQLITE_UP = [
    """
    CREATE VIRTUAL TABLE knowledge_passages_fts USING fts5(
        search_text,
        content='knowledge_passages',
        content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER knowledge_passages_fts_ai AFTER INSERT ON knowledge_passages BEGIN
        INSERT INTO knowledge_passages_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    """
    CREATE TRIGGER knowledge_passages_fts_ad AFTER DELETE ON knowledge_passages BEGIN
        INSERT INTO knowledge_passages_fts(knowledge_passages_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END
    """,
    """
    CREATE TRIGGER knowledge_passages_fts_au AFTER UPDATE ON knowledge_passages BEGIN
        INSERT INTO knowledge_passages_fts(knowledge_passages_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO knowledge_passages_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    "INSERT INTO knowledge_passages_fts(knowledge_passages_fts) VALUES ('rebuild')",
]

_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS knowledge_passages_fts_au",
    "DROP TRIGGER IF EXISTS knowledge_passages_fts_ad",
    "DROP TRIGGER IF EXISTS knowledge_passages_fts_ai",
    "DROP TABLE IF EXISTS knowledge_passages_fts",
]

_PG_UP = [
    "CREATE INDEX ix_knowledge_passages_tsv ON knowledge_passages "
    "USING GIN (to_tsvector('english', search_text))",
]

_PG_DOWN = ["DROP INDEX IF EXISTS ix_knowledge_passages_tsv"]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in (
        _SQLITE_UP if dialect == "sqlite" else _PG_UP if dialect == "postgresql" else []
    ):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in (
        _SQLITE_DOWN if dialect == "sqlite" else _PG_DOWN if dialect == "postgresql" else []
    ):
        op.execute(statement)
