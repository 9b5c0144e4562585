"""Hybrid retrieval: dense cosine over passage embeddings fused with BM25, ranked per article.

For a query, each passage gets

    fused = dense + lexical_weight * lexical

where ``dense`` is the cosine between the query's and the passage's embeddings (in [-1, 1]),
and ``lexical`` is the passage's BM25 score divided by the best score any passage could reach
for the query's terms (so in [0, 1], 0 when no term matches; it does not depend on the other
documents' scores, so it means the same from one query to the next).

An article's score adds article-level evidence to its best passage's fused score:

    score = best_passage + support_weight * second_best_passage
          + article_lexical_weight * article_bm25      (whole article text, normalised as above)
          + title_weight * cos(query, title) + outline_weight * cos(query, outline)

The outline is "Title. Heading; Heading; ...": together with the title it says what the
article is about as a whole, which a single passage may not. An article that matches in
several places (second-best passage) is a safer source.

``ArticleHit.dense`` is the best passage's cosine and ``ArticleHit.lexical`` the best passage's
normalised BM25; ``title_dense``/``outline_dense`` are the article-level cosines. Each is
meaningful on its own, for thresholds; ``score`` is only for ranking.

Everything lives in memory (one float32 matrix and posting lists); the index is immutable after
``load``, so searching is thread-safe.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from threadpoolctl import ThreadpoolController

from relaydesk.db.engine import Database
from relaydesk.knowledge.bm25 import BM25Index, term_id_arrays, tokenize
from relaydesk.knowledge.embeddings import Embedder
from relaydesk.knowledge.queries import (
    ArticleVectorRow,
    PassageRow,
    count_passages,
    iter_article_vectors,
    iter_passage_rows,
)


@dataclass(frozen=True)
class PassageHit:
    """A passage found for a query, with its article's fields and its scores."""

    passage_id: str
    slug: str
    title: str
    url: str | None
    heading_path: tuple[str, ...]
    text: str
    score: float
    dense: float
    lexical: float


@dataclass(frozen=True)
class ArticleHit:
    """An article found for a query; ``passages`` are its best passages, best first."""

    slug: str
    title: str
    url: str | None
    score: float
    dense: float
    lexical: float
    passages: tuple[PassageHit, ...]
    title_dense: float = 0.0
    outline_dense: float = 0.0


@dataclass(frozen=True)
class FusionWeights:
    """How dense and lexical evidence are combined (see the module docstring)."""

    lexical_weight: float = 0.25
    article_lexical_weight: float = 0.1
    support_weight: float = 0.05
    title_weight: float = 0.15
    outline_weight: float = 0.1
    passages_per_article: int = 3


DEFAULT_WEIGHTS = FusionWeights()


class KnowledgeIndex:
    """The in-memory search index over every stored passage."""

    def __init__(
        self,
        rows: Iterable[PassageRow],
        embedder: Embedder,
        article_vectors: Iterable[ArticleVectorRow] = (),
        *,
        weights: FusionWeights = DEFAULT_WEIGHTS,
        count: int | None = None,
    ) -> None:
        """Build the index from passage rows grouped by article (as ``iter_passage_rows``
        yields them); ``count``, when known, lets rows stream without being held in memory."""
        self.embedder = embedder
        self.weights = weights
        self._blas = ThreadpoolController()
        dim = embedder.dim
        if count is None:
            rows = list(rows)
            count = len(rows)
        self._passage_ids: list[str] = []
        self._heading_paths: list[tuple[str, ...]] = []
        self._texts: list[str] = []
        slugs: list[str] = []
        titles: list[str] = []
        urls: list[str | None] = []
        owners: list[int] = []
        starts: list[int] = []
        passage_tokens: list[list[str]] = []
        vectors = np.zeros((count, dim), dtype=np.float32)
        n = 0
        for row in rows:
            if not slugs or slugs[-1] != row.slug:
                slugs.append(row.slug)
                titles.append(row.title)
                urls.append(row.url)
                starts.append(n)
            owners.append(len(slugs) - 1)
            self._passage_ids.append(str(row.passage_id))
            self._heading_paths.append(tuple(json.loads(row.heading_path)))
            self._texts.append(row.text)
            passage_tokens.append(tokenize(row.search_text))
            if n >= vectors.shape[0]:  # more rows than counted (an import ran meanwhile)
                vectors = np.concatenate([vectors, np.zeros_like(vectors[: n + 1])])
            vector = np.frombuffer(row.embedding, dtype=np.float32)
            if vector.shape[0] == dim:
                vectors[n] = vector
            n += 1
        passage_article = np.array(owners, dtype=np.int32)
        self._slugs, self._titles, self._urls = slugs, titles, urls
        self._passage_article = passage_article
        self._starts = np.array(starts, dtype=np.int64)
        self._vectors = vectors[:n] if n < vectors.shape[0] else vectors
        position = {slug: a for a, slug in enumerate(slugs)}
        self._title_vectors = np.zeros((len(slugs), dim), dtype=np.float32)
        self._outline_vectors = np.zeros((len(slugs), dim), dtype=np.float32)
        for found in article_vectors:
            a = position.get(found.slug, -1)
            if a < 0:
                continue
            for target, blob in (
                (self._title_vectors, found.title_embedding),
                (self._outline_vectors, found.outline_embedding),
            ):
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape[0] == dim:
                    target[a] = vector
        vocabulary: dict[str, int] = {}
        term_ids, token_passage = term_id_arrays(passage_tokens, vocabulary)
        self._passage_bm25 = BM25Index(vocabulary, term_ids, token_passage, n)
        self._article_bm25 = BM25Index(
            vocabulary, term_ids, passage_article[token_passage], len(slugs)
        )

    @classmethod
    def load(
        cls, db: Database, embedder: Embedder, *, weights: FusionWeights = DEFAULT_WEIGHTS
    ) -> KnowledgeIndex:
        """Read every passage and its stored embedding from db into a new index."""
        with db.session() as session, session.begin():
            count = count_passages(session)
            return cls(
                iter_passage_rows(session),
                embedder,
                iter_article_vectors(session),
                weights=weights,
                count=count,
            )

    def __len__(self) -> int:
        """Return the number of articles."""
        return len(self._slugs)

    def knows_term(self, term: str) -> bool:
        """Tell whether any passage uses term (an index term: ``bm25.tokenize`` output)."""
        return term in self._passage_bm25

    def terms_share_a_passage(self, first: str, second: str) -> bool:
        """Tell whether some passage uses both index terms (``bm25.tokenize`` output)."""
        a = self._passage_bm25.documents_with(first)
        b = self._passage_bm25.documents_with(second)
        if not a.size or not b.size:
            return False
        small, large = (a, b) if a.size <= b.size else (b, a)
        # Both lists are ascending: look the shorter one up in the longer, O(k log n).
        at = np.minimum(np.searchsorted(large, small), large.size - 1)
        return bool(np.any(large[at] == small))

    @property
    def passage_count(self) -> int:
        """Return the number of passages."""
        return len(self._passage_ids)

    def _query_vector(self, query: str, query_vector: np.ndarray | None) -> np.ndarray:
        if query_vector is None:
            query_vector = self.embedder.embed([query])[0]
        vector: np.ndarray = np.asarray(query_vector, dtype=np.float32).reshape(-1)
        return vector

    def _passage_scores(
        self, query: str, query_vector: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], tuple[np.ndarray, np.ndarray]]:
        vector = self._query_vector(query, query_vector)
        # One BLAS thread: a matrix-vector product is memory-bound, and OpenBLAS threads that
        # spin while waiting make it many times slower on a busy machine.
        with self._blas.limit(limits=1, user_api="blas"):
            dense = self._vectors @ vector
            title_dense = self._title_vectors @ vector
            outline_dense = self._outline_vectors @ vector
        terms = tokenize(query)
        lexical = self._passage_bm25.scores(terms)
        mass = self._passage_bm25.idf_mass(terms)
        if mass > 0:
            lexical /= mass
        fused = dense + self.weights.lexical_weight * lexical
        return fused, dense, lexical, terms, (title_dense, outline_dense)

    def _hit(self, i: int, fused: np.ndarray, dense: np.ndarray, lexical: np.ndarray) -> PassageHit:
        a = int(self._passage_article[i])
        return PassageHit(
            passage_id=self._passage_ids[i],
            slug=self._slugs[a],
            title=self._titles[a],
            url=self._urls[a],
            heading_path=self._heading_paths[i],
            text=self._texts[i],
            score=float(fused[i]),
            dense=float(dense[i]),
            lexical=float(lexical[i]),
        )

    def search_passages(
        self, query: str, *, k: int = 10, query_vector: np.ndarray | None = None
    ) -> list[PassageHit]:
        """Return the k best passages for query, best first."""
        if not self._passage_ids or k <= 0:
            return []
        fused, dense, lexical, _, _ = self._passage_scores(query, query_vector)
        top = _top_k(fused, k)
        return [self._hit(int(i), fused, dense, lexical) for i in top]

    def search(
        self, query: str, *, k: int = 5, query_vector: np.ndarray | None = None
    ) -> list[ArticleHit]:
        """Return the k best articles for query, best first, each with its best passages."""
        if not self._passage_ids or k <= 0:
            return []
        fused, dense, lexical, terms, articles = self._passage_scores(query, query_vector)
        title_dense, outline_dense = articles
        best = np.maximum.reduceat(fused, self._starts)
        second = _second_best(fused, self._starts, self._passage_article, best)
        article_lex = self._article_bm25.scores(terms)
        mass = self._article_bm25.idf_mass(terms)
        if mass > 0:
            article_lex /= mass
        w = self.weights
        scores = (
            best
            + w.support_weight * second
            + w.article_lexical_weight * article_lex
            + w.title_weight * title_dense
            + w.outline_weight * outline_dense
        )
        hits = []
        for a in _top_k(scores, k):
            a = int(a)
            start = int(self._starts[a])
            end = int(self._starts[a + 1]) if a + 1 < len(self._starts) else len(fused)
            local = np.argsort(-fused[start:end], kind="stable")[: w.passages_per_article]
            passages = tuple(self._hit(start + int(j), fused, dense, lexical) for j in local)
            hits.append(
                ArticleHit(
                    slug=self._slugs[a],
                    title=self._titles[a],
                    url=self._urls[a],
                    score=float(scores[a]),
                    dense=passages[0].dense,
                    lexical=passages[0].lexical,
                    passages=passages,
                    title_dense=float(title_dense[a]),
                    outline_dense=float(outline_dense[a]),
                )
            )
        return hits


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, scores.shape[0])
    if k == scores.shape[0]:
        candidates = np.arange(k)
    else:
        candidates = np.argpartition(-scores, k - 1)[:k]
    return candidates[np.argsort(-scores[candidates], kind="stable")]


def _second_best(
    fused: np.ndarray, starts: np.ndarray, owner: np.ndarray, best: np.ndarray
) -> np.ndarray:
    """Return each article's second-best passage score (its best when it has one passage)."""
    is_best = fused >= best[owner]
    # Keep exactly one "best" per article: the first passage reaching it.
    first = np.zeros_like(is_best)
    idx = np.flatnonzero(is_best)
    if idx.size:
        owners = owner[idx]
        keep = np.ones(idx.size, dtype=bool)
        keep[1:] = owners[1:] != owners[:-1]
        first[idx[keep]] = True
    masked = np.where(first, -np.inf, fused)
    second = np.maximum.reduceat(masked, starts)
    result: np.ndarray = np.where(np.isfinite(second), second, best).astype(np.float32)
    return result
