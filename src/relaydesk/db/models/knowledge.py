"""Knowledge base tables: articles and their passages (with stored embeddings).

Owned by the knowledge package; see relaydesk.knowledge.
"""

from __future__ import annotations
