"""Every table, one module per aggregate. Importing this package registers them all."""

from relaydesk.db.models import (
    admin,
    connectors,
    contacts,
    conversations,
    jobs,
    knowledge,
    security,
    workflows,
)

__all__ = [
    "admin",
    "connectors",
    "contacts",
    "conversations",
    "jobs",
    "knowledge",
    "security",
    "workflows",
]
