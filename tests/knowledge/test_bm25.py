from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relaydesk.knowledge.bm25 import BM25Index, term_id_arrays, text_term_id_arrays, tokenize

TEXTS = [
    "How do I descale the Aeromatic? Descaling takes 25 minutes.",
    "",
    "the a of and",  # stop words only
    "Ça coûte l'été: naïve café's crème brûlée",
    "don't CAN'T foo_bar 123abc ünïcode",
    "Subscriptions ship every 4 weeks; subscribe, unsubscribe, subscribed.",
]


def terms(ids: np.ndarray, docs: np.ndarray, vocabulary: dict[str, int]) -> list[list[str]]:
    """Turn (term ids, documents) back into each document's terms, in order."""
    words = list(vocabulary)
    out: list[list[str]] = [[] for _ in range(int(docs.max()) + 1 if docs.size else 0)]
    for term, doc in zip(ids.tolist(), docs.tolist(), strict=True):
        out[doc].append(words[term])
    return out


def test_text_term_ids_are_the_tokenizers_terms() -> None:
    vocabulary: dict[str, int] = {}
    ids, docs = text_term_id_arrays(TEXTS, vocabulary)
    expected = [tokenize(t) for t in TEXTS]
    got = terms(ids, docs, vocabulary)
    assert got + [[]] * (len(TEXTS) - len(got)) == expected
    assert len(vocabulary) == len({t for doc in expected for t in doc})


@given(st.lists(st.text(max_size=60), max_size=12))
def test_text_term_ids_match_tokenize_on_any_text(texts: list[str]) -> None:
    first: dict[str, int] = {}
    second: dict[str, int] = {}
    a_ids, a_docs = term_id_arrays([tokenize(t) for t in texts], first)
    b_ids, b_docs = text_term_id_arrays(texts, second)
    assert np.array_equal(a_docs, b_docs)
    assert [list(first)[i] for i in a_ids] == [list(second)[i] for i in b_ids]


def test_text_term_ids_span_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    import relaydesk.knowledge.bm25 as bm25

    monkeypatch.setattr(bm25, "_TEXT_BATCH", 2)
    vocabulary: dict[str, int] = {}
    ids, docs = text_term_id_arrays(TEXTS, vocabulary)
    expected = [tokenize(t) for t in TEXTS]
    got = terms(ids, docs, vocabulary)
    assert got + [[]] * (len(TEXTS) - len(got)) == expected


def test_index_rebuilt_from_its_arrays_scores_the_same() -> None:
    documents = [tokenize(t) for t in TEXTS]
    index = BM25Index.from_documents(documents)
    again = BM25Index.from_arrays(index.vocabulary, index.to_arrays())
    for query in ("descale minutes", "subscription", "café", "nothing"):
        q = tokenize(query)
        assert np.array_equal(index.scores(q), again.scores(q))
        assert index.idf_mass(q) == again.idf_mass(q)
    assert np.array_equal(index.documents_with("subscript"), again.documents_with("subscript"))


def test_arrays_that_do_not_fit_are_refused() -> None:
    index = BM25Index.from_documents([tokenize(t) for t in TEXTS])
    arrays = index.to_arrays()
    smaller = dict(list(index.vocabulary.items())[:-1])
    with pytest.raises(ValueError):
        BM25Index.from_arrays(smaller, arrays)
    with pytest.raises(ValueError):
        BM25Index.from_arrays(index.vocabulary, {**arrays, "docs": arrays["docs"][:-1]})
    with pytest.raises(ValueError):
        BM25Index.from_arrays(index.vocabulary, {**arrays, "size": np.array(1)})
