"""The knowledge base: articles in, passages with embeddings and a lexical index, hybrid search."""

from relaydesk.knowledge.embeddings import BertEmbedder, Embedder, HashingEmbedder, load_embedder
from relaydesk.knowledge.importer import ImportReport, import_articles
from relaydesk.knowledge.retrieval import (
    ArticleHit,
    FusionWeights,
    KnowledgeIndex,
    PassageHit,
)

__all__ = [
    "ArticleHit",
    "BertEmbedder",
    "Embedder",
    "FusionWeights",
    "HashingEmbedder",
    "ImportReport",
    "KnowledgeIndex",
    "PassageHit",
    "import_articles",
    "load_embedder",
]
