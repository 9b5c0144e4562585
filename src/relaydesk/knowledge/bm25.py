"""An in-process BM25 index over token lists, and the tokenizer both the index and queries use.

Terms are lower-cased, stripped of accents, stemmed with the Snowball English stemmer, and
common function words are dropped. The index is a posting list per term with precomputed
BM25 weights, so a query costs one vector add per query term.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain

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


_STEMS: dict[str, str] = {}
_STEMS_MAX = 500_000


def _stem(word: str) -> str:
    stem = _STEMS.get(word)
    if stem is None:
        stem = str(_STEMMER.stemWord(word))
        if len(_STEMS) < _STEMS_MAX:
            _STEMS[word] = stem
    return stem


def _fold(text: str) -> str:
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Return the index terms of text: folded, stemmed words without stop words."""
    stems = _STEMS
    return [
        stems.get(w) or _stem(w)
        for w in _WORD.findall(_fold(text).replace("'", ""))
        if w not in STOPWORDS
    ]


class BM25Index:
    """Okapi BM25 over documents given as arrays of term ids (a compressed posting matrix).

    Build it with ``from_documents`` (lists of terms) or ``from_term_ids`` (one flat array of
    term ids and the document of each). ``scores`` costs one vector add per query term.
    """

    def __init__(
        self,
        vocabulary: dict[str, int],
        term_ids: np.ndarray,
        doc_of_token: np.ndarray,
        size: int,
        *,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        self.size = size
        self._vocabulary = vocabulary
        n_terms = len(vocabulary)
        lengths = np.bincount(doc_of_token, minlength=size).astype(np.float32)
        avg = float(lengths.mean()) if size and lengths.sum() > 0 else 1.0
        keys = term_ids.astype(np.int64) * max(size, 1) + doc_of_token.astype(np.int64)
        unique, tf = np.unique(keys, return_counts=True)
        terms = unique // max(size, 1)
        docs = (unique % max(size, 1)).astype(np.int32)
        indptr = np.searchsorted(terms, np.arange(n_terms + 1)).astype(np.int64)
        df = np.diff(indptr).astype(np.float32)
        idf = np.log(1.0 + (size - df + 0.5) / (df + 0.5)).astype(np.float32)
        freq = tf.astype(np.float32)
        norm = k1 * (1.0 - b + b * lengths[docs] / avg)
        self._weights = (idf[terms] * freq * (k1 + 1.0) / (freq + norm)).astype(np.float32)
        self._docs = docs
        self._indptr = indptr
        best = np.zeros(n_terms, dtype=np.float32)
        nonempty = df > 0
        if nonempty.any() and self._weights.size:
            best[nonempty] = np.maximum.reduceat(self._weights, indptr[:-1][nonempty])
        self._best = best

    @classmethod
    def from_arrays(cls, vocabulary: dict[str, int], arrays: Mapping[str, np.ndarray]) -> BM25Index:
        """Rebuild an index from ``to_arrays`` output over the same vocabulary.

        Raise ValueError when the arrays do not fit together (a damaged cache).
        """
        index = cls.__new__(cls)
        index.size = int(arrays["size"])
        index._vocabulary = vocabulary
        index._weights = np.ascontiguousarray(arrays["weights"], dtype=np.float32)
        index._docs = np.ascontiguousarray(arrays["docs"], dtype=np.int32)
        index._indptr = np.ascontiguousarray(arrays["indptr"], dtype=np.int64)
        index._best = np.ascontiguousarray(arrays["best"], dtype=np.float32)
        n_terms = len(vocabulary)
        if (
            index._indptr.shape != (n_terms + 1,)
            or index._best.shape != (n_terms,)
            or index._weights.shape != index._docs.shape
            or (n_terms and int(index._indptr[-1]) != index._docs.size)
            or (index._docs.size and int(index._docs.max()) >= index.size)
        ):
            raise ValueError("BM25 arrays do not fit their vocabulary")
        return index

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Return the arrays ``from_arrays`` needs (the vocabulary is kept by the caller)."""
        return {
            "size": np.array(self.size, dtype=np.int64),
            "weights": self._weights,
            "docs": self._docs,
            "indptr": self._indptr,
            "best": self._best,
        }

    @classmethod
    def from_documents(cls, documents: Sequence[Sequence[str]], **params: float) -> BM25Index:
        """Build the index over documents, each a list of terms."""
        vocabulary: dict[str, int] = {}
        term_ids, doc_of_token = term_id_arrays(documents, vocabulary)
        return cls(vocabulary, term_ids, doc_of_token, len(documents), **params)

    @property
    def vocabulary(self) -> dict[str, int]:
        """Return the term → term id mapping (shared, do not change it)."""
        return self._vocabulary

    def __contains__(self, term: object) -> bool:
        """Tell whether any document has term (an index term, as tokenize returns it)."""
        return term in self._vocabulary

    def documents_with(self, term: str) -> np.ndarray:
        """Return the ids of the documents that have term, ascending (empty when none)."""
        i = self._vocabulary.get(term)
        if i is None:
            return np.zeros(0, dtype=np.int32)
        docs: np.ndarray = self._docs[self._indptr[i] : self._indptr[i + 1]]
        return docs

    def _term_ids(self, terms: Sequence[str]) -> list[int]:
        found = (self._vocabulary.get(t) for t in set(terms))
        return [i for i in found if i is not None]

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """Return the BM25 score of every document for the query terms (0 when none match)."""
        out = np.zeros(self.size, dtype=np.float32)
        for term in self._term_ids(terms):
            start, end = self._indptr[term], self._indptr[term + 1]
            out[self._docs[start:end]] += self._weights[start:end]
        return out

    def idf_mass(self, terms: Sequence[str]) -> float:
        """Return the sum over query terms of the best score any document reaches for the term.

        No document can score higher, so dividing by it puts scores in [0, 1].
        """
        return float(sum(float(self._best[t]) for t in self._term_ids(terms)))


def term_id_arrays(
    documents: Sequence[Sequence[str]], vocabulary: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Return (term id of each token, document of each token), growing vocabulary."""
    lengths = [len(d) for d in documents]
    total = sum(lengths)
    setdefault = vocabulary.setdefault
    ids = np.fromiter(
        (setdefault(t, len(vocabulary)) for d in documents for t in d), dtype=np.int64, count=total
    )
    docs = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
    return ids, docs


#: Texts tokenized per step by ``text_term_id_arrays``: bounds its temporary word lists.
_TEXT_BATCH = 2000


def text_term_id_arrays(
    texts: Iterable[str], vocabulary: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Return (term id of each token, document of each token) of texts as ``tokenize`` splits
    them, growing vocabulary; the n-th text is document n.

    Same terms as ``term_id_arrays([tokenize(t) for t in texts], vocabulary)``, but each
    distinct word is folded, stop-listed and stemmed once, and the words are mapped to term
    ids in bulk, which makes loading a large knowledge base several times faster.
    """
    word_ids: dict[str, int] = {}  # word -> term id; -1 for stop words
    setdefault = vocabulary.setdefault
    ids_parts: list[np.ndarray] = []
    docs_parts: list[np.ndarray] = []
    batch: list[list[str]] = []
    first_doc = 0

    def flush() -> None:
        words = list(chain.from_iterable(batch))
        for word in dict.fromkeys(words):
            if word not in word_ids:
                word_ids[word] = (
                    -1 if word in STOPWORDS else setdefault(_stem(word), len(vocabulary))
                )
        ids = np.fromiter(map(word_ids.__getitem__, words), dtype=np.int64, count=len(words))
        lengths = [len(b) for b in batch]
        docs = np.repeat(np.arange(first_doc, first_doc + len(batch), dtype=np.int64), lengths)
        keep = ids >= 0
        ids_parts.append(ids[keep])
        docs_parts.append(docs[keep])

    findall = _WORD.findall
    for text in texts:
        batch.append(findall(_fold(text).replace("'", "")))
        if len(batch) == _TEXT_BATCH:
            flush()
            first_doc += len(batch)
            batch = []
    if batch:
        flush()
    if not ids_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(ids_parts), np.concatenate(docs_parts)
