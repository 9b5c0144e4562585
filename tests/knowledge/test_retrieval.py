from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import pytest

from relaydesk.knowledge import FusionWeights, HashingEmbedder, KnowledgeIndex
from relaydesk.knowledge.queries import ArticleVectorRow, PassageRow
from relaydesk.knowledge.retrieval import SPLIT_ROWS, matvec


class AxisEmbedder:
    """Maps each known text to a fixed unit vector, so dense scores are chosen by the test."""

    name = "axis"
    dim = 4

    def __init__(self, table: dict[str, Sequence[float]]) -> None:
        self.table = table

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.array([self.table[t] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def vec(*values: float) -> bytes:
    array = np.array(values, dtype=np.float32)
    return (array / np.linalg.norm(array)).tobytes()


def row(pid: int, slug: str, text: str, vector: bytes) -> PassageRow:
    return PassageRow(
        passage_id=pid,
        slug=slug,
        title=slug.title(),
        url=f"https://h.test/{slug}",
        heading_path=json.dumps([slug.title()]),
        text=text,
        search_text=text,
        embedding=vector,
    )


ROWS = [
    row(1, "alpha", "zebra crossing rules", vec(1, 0, 0, 0)),
    row(2, "alpha", "other alpha text", vec(0, 1, 0, 0)),
    row(3, "beta", "beta text about lions", vec(0.9, 0.1, 0, 0)),
    row(4, "gamma", "gamma text", vec(0, 0, 1, 0)),
]

NO_ARTICLE_TERMS = FusionWeights(
    article_lexical_weight=0, support_weight=0, title_weight=0, outline_weight=0
)


def test_dense_alone_ranks_by_cosine() -> None:
    embedder = AxisEmbedder({"q": (1, 0, 0, 0)})
    index = KnowledgeIndex(ROWS, embedder, weights=FusionWeights(lexical_weight=0, **_zero()))
    hits = index.search("q", k=3)
    assert [h.slug for h in hits] == ["alpha", "beta", "gamma"]
    assert hits[0].dense == 1.0 and hits[0].lexical == 0.0
    assert hits[0].passages[0].passage_id == "1"
    assert [p.passage_id for p in hits[0].passages] == ["1", "2"]
    assert hits[0].url == "https://h.test/alpha"


def test_lexical_evidence_can_overturn_a_small_dense_gap() -> None:
    embedder = AxisEmbedder({"lions": (1, 0, 0, 0)})
    index = KnowledgeIndex(ROWS, embedder, weights=FusionWeights(lexical_weight=0.5, **_zero()))
    hits = index.search("lions", k=2)
    assert hits[0].slug == "beta"
    assert hits[0].lexical == 1.0  # the only matching passage reaches the query's maximum
    assert 0.9 < hits[0].dense < 1.0
    assert hits[0].score > hits[1].score


def test_title_vector_adds_article_level_evidence() -> None:
    embedder = AxisEmbedder({"q": (0, 0, 0.8, 0.6)})
    vectors = [
        ArticleVectorRow("alpha", vec(1, 0, 0, 0), vec(1, 0, 0, 0)),
        ArticleVectorRow("beta", vec(0, 0, 0.8, 0.6), vec(0, 0, 0, 1)),
        ArticleVectorRow("gamma", vec(0, 1, 0, 0), vec(0, 1, 0, 0)),
    ]
    plain = KnowledgeIndex(ROWS, embedder, vectors, weights=NO_ARTICLE_TERMS)
    assert plain.search("q", k=1)[0].slug == "gamma"
    titled = KnowledgeIndex(
        ROWS, embedder, vectors, weights=FusionWeights(**{**_zero(), "title_weight": 1.0})
    )
    top = titled.search("q", k=1)[0]
    assert top.slug == "beta"
    assert np.isclose(top.title_dense, 1.0)
    assert np.isclose(top.outline_dense, 0.6)


def test_search_passages_and_empty_index() -> None:
    embedder = AxisEmbedder({"q": (0, 1, 0, 0)})
    index = KnowledgeIndex(ROWS, embedder)
    assert index.search_passages("q", k=1)[0].passage_id == "2"
    assert len(index) == 3 and index.passage_count == 4
    empty = KnowledgeIndex([], HashingEmbedder())
    assert empty.search("anything") == [] and empty.search_passages("x") == []
    assert len(empty) == 0


def test_query_vector_skips_the_embedder() -> None:
    index = KnowledgeIndex(ROWS, AxisEmbedder({}))
    hits = index.search("not in table", query_vector=np.array([0, 0, 1, 0], dtype=np.float32))
    assert hits[0].slug == "gamma"


def _zero() -> dict[str, float]:
    return {
        "article_lexical_weight": 0.0,
        "support_weight": 0.0,
        "title_weight": 0.0,
        "outline_weight": 0.0,
    }


def test_knows_term_uses_stemmed_index_terms() -> None:
    index = KnowledgeIndex(ROWS, AxisEmbedder({}))
    assert index.knows_term("lion")  # "lions" stemmed
    assert not index.knows_term("lions")
    assert not index.knows_term("tiger")


TYPO_ROWS = [
    row(1, "bank", "reconcile the bank account every month", vec(1, 0, 0, 0)),
    row(2, "login", "reset your password from the sign-in page", vec(0, 1, 0, 0)),
    row(3, "paper", "paper invoices and a calendar of payments", vec(0, 0, 1, 0)),
    row(4, "greek", "kappa and kappo", vec(0, 0, 0, 1)),
]


@pytest.mark.parametrize(
    ("typo", "term"),
    [
        ("recconcil", "reconcil"),  # a letter too many
        ("pasword", "password"),  # a letter missing
        ("accuont", "account"),  # two neighbours swapped
        ("calendra", "calendar"),  # a long word: two edits of any kind
        ("calander", "calendar"),
    ],
)
def test_closest_term_corrects_a_typo(typo: str, term: str) -> None:
    index = KnowledgeIndex(TYPO_ROWS, AxisEmbedder({}))
    assert index.closest_term(typo) == term


@pytest.mark.parametrize(
    "word",
    [
        "payer",  # a changed letter in a short word: a real word, not "paper"
        "fore",  # shorter than five letters
        "kappao",  # as near "kappa" as "kappo": ambiguous, so left alone
        "reconcil",  # the index has it
        "xeconcil",  # never in the first letter
        "password2",  # not letters only
        "zapier",
    ],
)
def test_closest_term_leaves_other_words_alone(word: str) -> None:
    index = KnowledgeIndex(TYPO_ROWS, AxisEmbedder({}))
    assert index.closest_term(word) is None


@pytest.mark.parametrize("rows", [1, 100, SPLIT_ROWS, SPLIT_ROWS + 7, 3 * SPLIT_ROWS + 1])
def test_matvec_equals_the_plain_product(rows: int) -> None:
    rng = np.random.default_rng(rows)
    matrix = rng.standard_normal((rows, 384), dtype=np.float32)
    vector = rng.standard_normal(384, dtype=np.float32)
    got = matvec(matrix, vector)
    assert got.shape == (rows,) and got.dtype == np.float32
    np.testing.assert_allclose(got, matrix @ vector, rtol=1e-5, atol=1e-4)
