"""Tell common English words from rare ones, using the embedding model's word-piece vocabulary.

BERT-style vocabularies hold about 30,000 pieces: every frequent English word is one piece,
while rare words, product names and acronyms ("okta", "hipaa", "webhook") split into several.
That makes the vocabulary a free, offline word-frequency list.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

log = logging.getLogger(__name__)

_PIECES = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    try:
        from tokenizers import Tokenizer

        from relaydesk.knowledge.embeddings import minilm_model_dir

        tokenizer = Tokenizer.from_file(str(minilm_model_dir() / "tokenizer.json"))
    except Exception:  # noqa: BLE001 - without the model package, no word counts as rare
        log.warning("word-piece vocabulary unavailable; rare-word evidence is off")
        return frozenset()
    return frozenset(t for t in tokenizer.get_vocab() if not t.startswith("##"))


def is_rare_word(word: str) -> bool:
    """Tell whether word (letters; digits are never rare) is missing from the vocabulary."""
    vocabulary = _vocabulary()
    if not vocabulary:
        return False
    folded = unicodedata.normalize("NFKD", word.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    pieces = [p for p in _PIECES.findall(folded) if not p.isdigit()]
    return any(p not in vocabulary for p in pieces)
