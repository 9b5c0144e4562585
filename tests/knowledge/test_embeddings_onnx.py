"""The ONNX graph of MiniLM (knowledge/onnx_bert.py) against the numpy forward pass."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from relaydesk.errors import Unavailable
from relaydesk.knowledge import onnx_bert
from relaydesk.knowledge.embeddings import (
    BertEmbedder,
    load_embedder,
    load_minilm,
    minilm_model_dir,
)
from relaydesk.settings import Settings
from tests.knowledge.test_embeddings import (
    test_minilm_matches_the_published_reference_vector as check_reference_vector,
)
from tests.knowledge.test_embeddings import (
    test_minilm_padding_does_not_change_a_vector as check_padding,
)
from tests.knowledge.test_embeddings import (
    test_minilm_truncates_long_texts as check_truncation,
)

TEXTS = [
    "hi",
    "This is an example sentence",
    "How do I reset my password? I forgot it and the reset email never arrived.",
    "Refunds are issued to the original payment method within 5-10 business days. " * 6,
    "",
    "Wie kann ich unser Abo kündigen?",
    "word " * 400,  # truncated at 256 tokens
]


@pytest.fixture(scope="module")
def bert() -> BertEmbedder:
    return BertEmbedder(minilm_model_dir(), name="all-MiniLM-L6-v2")


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture(scope="module")
def onnx_minilm(cache_dir: Path) -> onnx_bert.OnnxBertEmbedder:
    embedder = load_minilm("onnx", cache_dir=cache_dir)
    assert isinstance(embedder, onnx_bert.OnnxBertEmbedder)
    return embedder


def assert_parity(a: np.ndarray, b: np.ndarray) -> None:
    assert a.shape == b.shape
    assert float(np.abs(a - b).max()) < 1e-4
    assert onnx_bert.parity_cosine(a, b) > 0.9999


def test_onnx_vectors_match_numpy_across_lengths_and_padding(
    bert: BertEmbedder, onnx_minilm: onnx_bert.OnnxBertEmbedder
) -> None:
    expected = bert.embed(TEXTS)
    # One batch (padded to the longest), and each text alone (no padding): all the same.
    assert_parity(onnx_minilm.embed(TEXTS), expected)
    alone = np.stack([onnx_minilm.embed([t])[0] for t in TEXTS])
    assert_parity(alone, expected)
    assert onnx_minilm.name == bert.name  # stored vectors stay valid across runtimes
    assert onnx_minilm.dim == 384


def test_standard_operator_graph_matches_numpy_too(bert: BertEmbedder) -> None:
    standard = onnx_bert.OnnxBertEmbedder(bert, onnx_bert.build_model_bytes(bert, fused=False))
    assert_parity(standard.embed(TEXTS), bert.embed(TEXTS))


def test_onnx_matches_the_published_reference_vector(
    onnx_minilm: onnx_bert.OnnxBertEmbedder,
) -> None:
    check_reference_vector(onnx_minilm)  # type: ignore[arg-type]
    check_padding(onnx_minilm)  # type: ignore[arg-type]
    check_truncation(onnx_minilm)  # type: ignore[arg-type]


def test_many_batches_run_in_parallel_threads(
    bert: BertEmbedder, onnx_minilm: onnx_bert.OnnxBertEmbedder
) -> None:
    texts = [f"question number {i} about {'billing ' * (i % 40)}" for i in range(90)]
    assert_parity(onnx_minilm.embed(texts), bert.embed(texts))


PAIR = ["how long does the reset link for my password work", "reset link password work"]


def test_a_message_and_its_variants_run_apart_and_match_numpy(
    bert: BertEmbedder, onnx_minilm: onnx_bert.OnnxBertEmbedder
) -> None:
    three = [*PAIR, "¿cuánto dura el enlace para restablecer la contraseña?"]
    assert_parity(onnx_minilm.embed(PAIR), bert.embed(PAIR))
    assert_parity(onnx_minilm.embed(three), bert.embed(three))


def test_with_the_helper_thread_busy_the_runs_stay_on_the_callers_thread(
    bert: BertEmbedder, onnx_minilm: onnx_bert.OnnxBertEmbedder
) -> None:
    assert onnx_minilm._helper_free.acquire(blocking=False)
    try:
        assert_parity(onnx_minilm.embed(PAIR), bert.embed(PAIR))
    finally:
        onnx_minilm._helper_free.release()


def test_many_callers_share_the_helper_thread(
    bert: BertEmbedder, onnx_minilm: onnx_bert.OnnxBertEmbedder
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    pairs = [[f"question {i} about invoices", f"question {i}"] for i in range(24)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(onnx_minilm.embed, pairs))
    for pair, got in zip(pairs, results, strict=True):
        assert_parity(got, bert.embed(pair))


_LONG_BATCH_SCRIPT = """
from pathlib import Path

from relaydesk.knowledge.embeddings import load_minilm
from relaydesk.memory import release_free_memory, tune_heap_for_server


def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024


tune_heap_for_server()  # as `relaydesk serve` does
model = load_minilm("onnx")
texts = [f"passage {i}: " + "billing invoices refunds and plans " * 60 for i in range(32)]
model.embed(texts[:1])
release_free_memory()
before = rss_mb()
model.embed(texts)
release_free_memory()
print(rss_mb() - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc only")
def test_a_batch_of_long_passages_gives_its_memory_back(
    onnx_minilm: onnx_bert.OnnxBertEmbedder,
) -> None:
    # 32 passages of 256 tokens need ~270 MB of working memory in onnxruntime; its arena
    # must not keep that for the life of the process. Measured in a process of its own, as
    # a server is (in this test process, other tests' leftovers blur the figure): 12-34 MB
    # stay, ~105-113 MB when the arena keeps its peak. (The fixture builds the model's cache.)
    run = subprocess.run(
        [sys.executable, "-c", _LONG_BATCH_SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    assert float(run.stdout) < 60


def _without(missing: str) -> object:
    def import_module(name: str) -> ModuleType:
        if name == missing:
            raise ImportError(f"No module named {name!r}")
        return importlib.import_module(name)

    return import_module


@pytest.mark.parametrize("missing", ["onnxruntime", "onnx"])
def test_auto_falls_back_to_numpy_without_onnxruntime(missing: str, tmp_path: Path) -> None:
    embedder = load_minilm("auto", cache_dir=tmp_path, import_module=_without(missing))
    assert isinstance(embedder, BertEmbedder)
    assert embedder.name == "all-MiniLM-L6-v2"
    with pytest.raises(Unavailable, match=missing):
        load_minilm("onnx", cache_dir=tmp_path, import_module=_without(missing))
    assert list(tmp_path.iterdir()) == []


def test_a_cached_model_needs_no_onnx_package(
    onnx_minilm: onnx_bert.OnnxBertEmbedder, cache_dir: Path
) -> None:
    embedder = load_minilm("auto", cache_dir=cache_dir, import_module=_without("onnx"))
    assert isinstance(embedder, onnx_bert.OnnxBertEmbedder)


def test_built_model_is_cached_and_reused(
    bert: BertEmbedder,
    onnx_minilm: onnx_bert.OnnxBertEmbedder,
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    weights = minilm_model_dir() / "model.safetensors"
    cached = onnx_bert.cache_path(weights, cache_dir, fused=True)
    assert [p.name for p in cache_dir.iterdir()] == [cached.name]
    before = cached.stat().st_mtime_ns

    def no_build(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("the cached model should have been used")

    monkeypatch.setattr(onnx_bert, "build_model_bytes", no_build)
    again = load_minilm("onnx", cache_dir=cache_dir)
    assert isinstance(again, onnx_bert.OnnxBertEmbedder)
    assert cached.stat().st_mtime_ns == before
    assert_parity(again.embed(TEXTS[:3]), bert.embed(TEXTS[:3]))


def test_a_corrupt_cached_model_is_rebuilt(bert: BertEmbedder, tmp_path: Path) -> None:
    weights = minilm_model_dir() / "model.safetensors"
    cached = onnx_bert.cache_path(weights, tmp_path, fused=True)
    cached.write_bytes(b"not an onnx model")
    embedder = load_minilm("onnx", cache_dir=tmp_path)
    assert isinstance(embedder, onnx_bert.OnnxBertEmbedder)
    assert cached.stat().st_size > 60_000_000  # the whole model, not the damaged bytes
    assert_parity(embedder.embed(TEXTS[:3]), bert.embed(TEXTS[:3]))


def test_a_model_that_fails_the_parity_check_is_not_used(
    bert: BertEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_build = onnx_bert.build_model_bytes

    def wrong_model(model: BertEmbedder, *, fused: bool = True) -> bytes:
        # The same graph with a perturbed first feed-forward bias: runs, but other vectors.
        saved = model._layers[0].in_b
        model._layers[0].in_b = saved + np.float32(0.5)
        try:
            return real_build(model, fused=fused)
        finally:
            model._layers[0].in_b = saved

    monkeypatch.setattr(onnx_bert, "build_model_bytes", wrong_model)
    assert isinstance(load_minilm("auto", cache_dir=tmp_path), BertEmbedder)
    with pytest.raises(Unavailable, match="parity"):
        load_minilm("onnx", cache_dir=None)


def test_default_backend_uses_onnx_when_available() -> None:
    embedder = load_embedder(Settings(embedding_backend="minilm"))
    assert isinstance(embedder, onnx_bert.OnnxBertEmbedder)
    assert embedder.name == "all-MiniLM-L6-v2"
    assert isinstance(load_embedder(Settings(embedding_backend="minilm-numpy")), BertEmbedder)


def test_building_a_model_deletes_cached_models_unused_for_a_month(
    bert: BertEmbedder, tmp_path: Path
) -> None:
    month_ago = time.time() - onnx_bert.STALE_MODEL_SECONDS - 3600
    stale = tmp_path / "minilm-fused-0123456789abcdef01234567.onnx"
    recent = tmp_path / "minilm-std-89abcdef0123456789abcdef.onnx"
    other = tmp_path / "unrelated.onnx"
    for path in (stale, recent, other):
        path.write_bytes(b"an older build")
        os.utime(path, (month_ago, month_ago))
    os.utime(recent)  # used today
    weights = minilm_model_dir() / "model.safetensors"
    built = onnx_bert.cached_model(bert, weights, tmp_path, fused=True)
    assert built == onnx_bert.cache_path(weights, tmp_path, fused=True)
    assert not stale.exists()
    assert recent.exists() and other.exists()
