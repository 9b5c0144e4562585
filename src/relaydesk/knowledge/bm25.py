"""An in-process BM25 index over token lists, and the tokenizer both the index and queries use.

Terms are lower-cased, stripped of accents, stemmed with the Snowball English stemmer, and
common function words are dropped. The index is a posting list per term with precomputed
BM25 weights, so a query costs one vector add per query term.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import snowballstemmer

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# A generic English function-word list (articles, pronouns, auxiliaries, prepositions).
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves s t d ll m re ve y im dont doesnt cant""".split()
)

_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Return the index terms of text: folded, stemmed words without stop words."""
    return [_stem(w) for w in _WORD.findall(_fold(text).replace("'", "")) if w not in STOPWORDS]


class BM25Index:
    """Okapi BM25 over a fixed list of documents (each a list of terms)."""

    def __init__(self, documents: Sequence[Sequence[str]], *, k1: float = 1.2, b: float = 0.75):
        self.size = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float32)
        avg = float(lengths.mean()) if self.size and lengths.sum() > 0 else 1.0
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for doc_id, doc in enumerate(documents):
            for term, tf in Counter(doc).items():
                docs, tfs = postings.setdefault(term, ([], []))
                docs.append(doc_id)
                tfs.append(float(tf))
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (docs, tfs) in postings.items():
            ids = np.array(docs, dtype=np.int32)
            freq = np.array(tfs, dtype=np.float32)
            df = len(docs)
            idf = np.log(1.0 + (self.size - df + 0.5) / (df + 0.5))
            norm = k1 * (1.0 - b + b * lengths[ids] / avg)
            weights = (idf * freq * (k1 + 1.0) / (freq + norm)).astype(np.float32)
            self._postings[term] = (ids, weights)

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """Return the BM25 score of every document for the query terms (0 when none match)."""
        out = np.zeros(self.size, dtype=np.float32)
        for term in set(terms):
            posting = self._postings.get(term)
            if posting is not None:
                out[posting[0]] += posting[1]
        return out

    def idf_mass(self, terms: Sequence[str]) -> float:
        """Return the best score any document could reach for these terms (for normalising)."""
        total = 0.0
        for term in set(terms):
            posting = self._postings.get(term)
            if posting is not None:
                total += float(np.max(posting[1]))
        return total
