"""Database: declarative base, engine/session factory and Alembic migrations."""

from relaydesk.db.base import Base
from relaydesk.db.engine import Database, make_engine
from relaydesk.db.migrate import upgrade_to_head

__all__ = ["Base", "Database", "make_engine", "upgrade_to_head"]
