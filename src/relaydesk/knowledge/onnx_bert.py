"""The numpy BERT of ``embeddings.BertEmbedder`` as an ONNX graph, run by onnxruntime.

No torch and no export: the graph is written node by node with ``onnx.helper`` from the very
arrays ``BertEmbedder`` loaded from ``model.safetensors``, and computes what its ``_forward``
computes (same tanh GELU, same additive -1e9 mask bias, same LayerNorm epsilon); mean pooling
and L2 normalisation stay in numpy. Per CPU-second onnxruntime embeds about 1.7x as many
short queries and 1.3x as many long passages as numpy, and its runs release the GIL.

``OnnxBertEmbedder`` keeps the numpy embedder's ``name``: its vectors agree with the numpy ones
to about 3e-5 per component, cosine > 0.9999998 (the graph keeps the word table in float16; a
parity check at load proves the agreement on one sentence), so stored embeddings stay valid
across the two backends.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from relaydesk.knowledge.embeddings import BertEmbedder

log = logging.getLogger(__name__)

#: Bump when the graph below changes, so cached .onnx files of older graphs are not reused.
GRAPH_VERSION = 2
OPSET = 20
#: The sentence the load-time parity check embeds with both backends.
PARITY_SENTENCE = "How do I reset my password? I forgot it and the email never arrived."
PARITY_MIN_COSINE = 0.9999


def build_model_bytes(bert: BertEmbedder, *, fused: bool = True) -> bytes:
    """Return the serialised ONNX model of bert's encoder (inputs: input_ids, attention_mask).

    Output ``hidden`` is the last hidden state (batch, tokens, dim), before pooling. With
    ``fused``, each layer uses onnxruntime's CPU kernels ``Attention``,
    ``SkipLayerNormalization`` and ``FastGelu`` (domain com.microsoft: the same arithmetic,
    fewer passes over memory); without, only standard ONNX operators.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes: list[onnx.NodeProto] = []
    inits: list[onnx.TensorProto] = []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    f32 = np.float32
    dim, heads = bert.dim, bert.heads
    head_dim = dim // heads
    eps = bert.eps

    # Embeddings: word + (position + token type 0), sliced to the sequence length. The word
    # table (30,522 rows, half the model) is stored in float16 and widened after the lookup:
    # 23 MB less memory for a rounding of ~5e-4 per element (vectors still agree to > 0.99999).
    word = const("word_embeddings", bert._word.astype(np.float16))
    pos_type = const(
        "position_type_embeddings",
        (bert._pos[bert.position_offset :] + bert._type0[None, :]).astype(f32),
    )
    const("zero", np.array([0], dtype=np.int64))
    const("one", np.array([1], dtype=np.int64))
    shape = node("Shape", ["input_ids"], "ids_shape")
    length = node("Slice", [shape, "one", const("two", np.array([2], dtype=np.int64))], "length")
    positions = node("Slice", [pos_type, "zero", length, "zero"], "positions")
    tokens = node(
        "Cast", [node("Gather", [word, "input_ids"], "tokens16")], "tokens", to=TensorProto.FLOAT
    )
    summed = node("Add", [tokens, positions], "emb_sum")
    x = node(
        "LayerNormalization",
        [summed, const("emb_ln_w", bert._emb_ln[0]), const("emb_ln_b", bert._emb_ln[1])],
        "emb_ln",
        axis=-1,
        epsilon=eps,
    )

    if fused:
        int_mask = node("Cast", ["attention_mask"], "mask_i32", to=TensorProto.INT32)
    else:
        # Additive attention bias (batch, 1, 1, tokens): 0 for real tokens, -1e9 for padding.
        inverted = node("Sub", [const("f_one", np.array(1.0, f32)), "attention_mask"], "inv")
        bias2d = node("Mul", [inverted, const("neg_big", np.array(-1e9, f32))], "bias2d")
        bias_shape = const("bias_shape", np.array([0, 1, 1, -1], np.int64))
        bias = node("Reshape", [bias2d, bias_shape], "mask_bias")
        heads_shape = const("heads_shape", np.array([0, 0, heads, head_dim], dtype=np.int64))
        merged_shape = const("merged_shape", np.array([0, 0, dim], dtype=np.int64))
        scale = const("scale", np.array(1.0 / np.sqrt(head_dim), dtype=f32))
        gelu_c = const("gelu_c", np.array(0.044715, dtype=f32))
        gelu_k = const("gelu_k", np.array(0.7978845608028654, dtype=f32))
        half = const("half", np.array(0.5, dtype=f32))
    for i, layer in enumerate(bert._layers):
        p = f"l{i}."
        if fused:
            x = _fused_layer(node, const, layer, x, int_mask, p, heads=heads, eps=eps)
            continue
        qkv_w = layer.qkv_w.reshape(dim, 3, dim)
        qkv_b = layer.qkv_b.reshape(3, dim)
        split: dict[str, str] = {}
        for j, part in enumerate(("q", "k", "v")):
            mm = node("MatMul", [x, const(p + part + "_w", qkv_w[:, j, :])], p + part + "_mm")
            added = node("Add", [mm, const(p + part + "_b", qkv_b[j])], p + part + "_add")
            split[part] = node("Reshape", [added, heads_shape], p + part + "_heads")
        q = node("Transpose", [split["q"]], p + "q_t", perm=[0, 2, 1, 3])  # (n, h, L, hd)
        k = node("Transpose", [split["k"]], p + "k_t", perm=[0, 2, 3, 1])  # (n, h, hd, L)
        v = node("Transpose", [split["v"]], p + "v_t", perm=[0, 2, 1, 3])
        scores = node("MatMul", [q, k], p + "scores")
        scaled = node("Mul", [scores, scale], p + "scaled")
        masked = node("Add", [scaled, bias], p + "masked")
        probs = node("Softmax", [masked], p + "probs", axis=-1)
        context = node("MatMul", [probs, v], p + "context")
        context = node("Transpose", [context], p + "context_t", perm=[0, 2, 1, 3])
        context = node("Reshape", [context, merged_shape], p + "context_m")
        out = node("MatMul", [context, const(p + "out_w", layer.out_w)], p + "out_mm")
        out = node("Add", [out, const(p + "out_b", layer.out_b)], p + "out_add")
        out = node("Add", [out, x], p + "res1")
        x = node(
            "LayerNormalization",
            [out, const(p + "ln1_w", layer.ln1[0]), const(p + "ln1_b", layer.ln1[1])],
            p + "ln1",
            axis=-1,
            epsilon=eps,
        )
        h = node("MatMul", [x, const(p + "in_w", layer.in_w)], p + "in_mm")
        h = node("Add", [h, const(p + "in_b", layer.in_b)], p + "in_add")
        # GELU, tanh form (as embeddings._gelu): 0.5 x (1 + tanh(k (x + c x^3))).
        cube = node("Mul", [node("Mul", [h, h], p + "g_sq"), h], p + "g_cube")
        inner = node("Add", [h, node("Mul", [cube, gelu_c], p + "g_cx3")], p + "g_inner")
        t = node("Tanh", [node("Mul", [inner, gelu_k], p + "g_scaled")], p + "g_tanh")
        t = node("Add", [t, const(p + "g_one", np.array(1.0, dtype=f32))], p + "g_onep")
        g = node("Mul", [node("Mul", [h, half], p + "g_half"), t], p + "gelu")
        ff = node("MatMul", [g, const(p + "ff_w", layer.ff_w)], p + "ff_mm")
        ff = node("Add", [ff, const(p + "ff_b", layer.ff_b)], p + "ff_add")
        ff = node("Add", [ff, x], p + "res2")
        x = node(
            "LayerNormalization",
            [ff, const(p + "ln2_w", layer.ln2[0]), const(p + "ln2_b", layer.ln2[1])],
            p + "ln2",
            axis=-1,
            epsilon=eps,
        )
    nodes.append(helper.make_node("Identity", [x], ["hidden"], name="hidden"))

    graph = helper.make_graph(
        nodes,
        "sentence_bert",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", dim])],
        initializer=inits,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="relaydesk")
    model.ir_version = 9  # onnxruntime 1.17+ reads IR 9 with opset 20
    return bytes(model.SerializeToString())


def _fused_layer(
    node: Callable[..., str],
    const: Callable[[str, np.ndarray], str],
    layer: Any,
    x: str,
    int_mask: str,
    p: str,
    *,
    heads: int,
    eps: float,
) -> str:
    """Add one encoder layer made of onnxruntime's fused CPU kernels; return its output."""
    ms = {"domain": "com.microsoft"}
    context = node(
        "Attention",
        [x, const(p + "qkv_w", layer.qkv_w), const(p + "qkv_b", layer.qkv_b), int_mask],
        p + "attention",
        num_heads=heads,
        mask_filter_value=-1e9,
        **ms,
    )
    out = node("MatMul", [context, const(p + "out_w", layer.out_w)], p + "out_mm")
    x = node(
        "SkipLayerNormalization",
        [
            out,
            x,
            const(p + "ln1_w", layer.ln1[0]),
            const(p + "ln1_b", layer.ln1[1]),
            const(p + "out_b", layer.out_b),
        ],
        p + "ln1",
        epsilon=eps,
        **ms,
    )
    h = node("MatMul", [x, const(p + "in_w", layer.in_w)], p + "in_mm")
    g = node("FastGelu", [h, const(p + "in_b", layer.in_b)], p + "gelu", **ms)
    ff = node("MatMul", [g, const(p + "ff_w", layer.ff_w)], p + "ff_mm")
    return node(
        "SkipLayerNormalization",
        [
            ff,
            x,
            const(p + "ln2_w", layer.ln2[0]),
            const(p + "ln2_b", layer.ln2[1]),
            const(p + "ff_b", layer.ff_b),
        ],
        p + "ln2",
        epsilon=eps,
        **ms,
    )


def weights_key(weights_file: Path) -> str:
    """Return a short cache key of the weights file and of the graph version.

    It hashes the safetensors header (every tensor's name, dtype, shape and offsets), the file
    size and modification time rather than the 90 MB of weights (0.1-0.5 s on a busy machine):
    a reinstalled model changes at least the time, and the parity check at load catches any
    stale model that slipped through.
    """
    stat = weights_file.stat()
    with weights_file.open("rb") as fh:
        header_len = int.from_bytes(fh.read(8), "little")
        header = fh.read(min(header_len, 1 << 24))
    digest = hashlib.sha256(f"relaydesk-bert-onnx-v{GRAPH_VERSION}\n".encode())
    digest.update(f"{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    digest.update(header)
    return digest.hexdigest()[:24]


def default_cache_dir() -> Path:
    """Return the user cache folder for built models: $XDG_CACHE_HOME/relaydesk or ~/.cache."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "relaydesk"


def cache_path(weights_file: Path, cache_dir: Path, *, fused: bool) -> Path:
    """Return where the model built from weights_file is cached."""
    kind = "fused" if fused else "std"
    return cache_dir / f"minilm-{kind}-{weights_key(weights_file)}.onnx"


def cached_model(
    bert: BertEmbedder,
    weights_file: Path,
    cache_dir: Path | None,
    *,
    fused: bool = True,
    rebuild: bool = False,
    import_module: Callable[[str], ModuleType] = importlib.import_module,
) -> Path | bytes:
    """Return the cached model file in cache_dir (keyed by the weights), building on a miss.

    onnxruntime loads a file with less memory than bytes, so the path is returned when there
    is one. A cache that cannot be written is not an error: the bytes built in memory are.
    The ``onnx`` package is imported only to build (a warm start does not pay its import).
    """
    path = cache_path(weights_file, cache_dir, fused=fused) if cache_dir is not None else None
    if path is not None and not rebuild and path.is_file():
        _mark_used(path)
        return path
    try:
        import_module("onnx")
    except ImportError as exc:
        raise ImportError(f"building the ONNX graph needs the onnx package: {exc}") from exc
    data = build_model_bytes(bert, fused=fused)
    if cache_dir is None or path is None:
        return data
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        log.warning("could not cache the ONNX model in %s: %s", cache_dir, exc)
        return data
    prune_stale_models(cache_dir, keep=path)
    return path


#: At most this many texts are embedded one run each, split over two threads (a message, its
#: original words, and its words the knowledge base knows); more go in length-sorted batches.
APART_TEXTS = 3

#: A cached model (67 MB) that no start has used for this long is deleted when another is
#: built: the key follows the weights file, so every reinstall of the model package leaves one.
STALE_MODEL_SECONDS = 30 * 24 * 3600


def _mark_used(path: Path) -> None:
    """Refresh a cached model's time (at most daily), so pruning sees it is still in use."""
    try:
        if time.time() - path.stat().st_mtime > 24 * 3600:
            os.utime(path)
    except OSError:
        pass


def prune_stale_models(cache_dir: Path, *, keep: Path) -> list[Path]:
    """Delete the cached models in cache_dir, other than keep, unused for 30 days."""
    now = time.time()
    removed = []
    for other in cache_dir.glob("minilm-*.onnx"):
        try:
            if other != keep and now - other.stat().st_mtime > STALE_MODEL_SECONDS:
                other.unlink()
                removed.append(other)
        except OSError:
            continue
    return removed


class OnnxBertEmbedder:
    """``BertEmbedder``'s model run by onnxruntime (CPUExecutionProvider), same vectors."""

    def __init__(
        self,
        bert: BertEmbedder,
        model: Path | bytes,
        *,
        name: str | None = None,
        threads: int = 1,
        workers: int | None = None,
        import_module: Callable[[str], ModuleType] = importlib.import_module,
    ) -> None:
        ort = import_module("onnxruntime")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # One intra-op thread per run, batches in parallel Python threads (as the numpy path),
        # and no spinning: idle spinning threads slow everything else on a busy 2-core box.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(model) if isinstance(model, Path) else model,
            sess_options=options,
            providers=["CPUExecutionProvider"],
        )
        # The memory arena keeps a run's buffers for the next one (without it, a batch of long
        # passages costs ~20% more), but it would also keep the largest run's peak (~270 MB
        # for 32 long passages) for the life of the process: each run gives the arena's free
        # memory back when it ends.
        self._run_options = ort.RunOptions()
        self._run_options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        self.name = name if name is not None else bert.name
        self.dim = bert.dim
        self.max_tokens = bert.max_tokens
        self.batch_size = bert.batch_size
        self.workers = workers if workers is not None else min(2, len(os.sched_getaffinity(0)))
        self._tokenizer = bert._tokenizer
        self.calls = 0
        self._helper: ThreadPoolExecutor | None = None
        self._helper_lock = threading.Lock()
        self._helper_free = threading.Semaphore(1)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return the sentence embeddings of texts (float32, unit length)."""
        from relaydesk.knowledge.embeddings import _normalise, length_sorted_batches, run_batches

        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = [enc.ids for enc in self._tokenizer.encode_batch(list(texts))]
        if (
            1 < len(ids) <= APART_TEXTS
            and self.workers > 1
            and self._helper_free.acquire(blocking=False)
        ):
            try:
                self._embed_apart(out, ids)
            finally:
                self._helper_free.release()
            return _normalise(out)

        def run(chunk: list[int]) -> None:
            out[chunk] = self._forward([ids[i] for i in chunk])

        run_batches(length_sorted_batches(ids, self.batch_size), run, self.workers)
        return _normalise(out)

    def _embed_apart(self, out: np.ndarray, ids: list[list[int]]) -> None:
        """Embed a few texts (a message and its variants) one run each, the first on the
        helper thread: on an idle machine a message's runs then take the time of one. The
        caller holds ``_helper_free``; when another caller does (a server answering several
        messages at once), ``embed`` runs the texts as one batch on its own thread instead,
        which costs ~15% less CPU than separate runs and makes no message wait for another.
        """
        try:
            future: Future[np.ndarray] | None = self._helper_pool().submit(self._forward, [ids[0]])
        except RuntimeError:  # the interpreter is shutting down
            future = None
        rest = ids[1:] if future is not None else ids
        first = 1 if future is not None else 0
        for offset, seq in enumerate(rest):
            out[first + offset] = self._forward([seq])[0]
        if future is not None:
            out[0] = future.result()[0]

    def _helper_pool(self) -> ThreadPoolExecutor:
        with self._helper_lock:
            if self._helper is None:
                self._helper = ThreadPoolExecutor(1, thread_name_prefix="embed-helper")
            return self._helper

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        from relaydesk.knowledge.embeddings import pad_batch

        token_ids, mask = pad_batch(batch)
        (hidden,) = self._session.run(
            ["hidden"], {"input_ids": token_ids, "attention_mask": mask}, self._run_options
        )
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        return summed / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)  # type: ignore[no-any-return]


def parity_cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Return the smallest row-wise cosine of two stacks of vectors."""
    num = (a * b).sum(axis=1)
    den = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    return float((num / np.maximum(den, 1e-12)).min())


def load_onnx_embedder(
    bert: BertEmbedder,
    weights_file: Path,
    *,
    cache_dir: Path | None,
    import_module: Callable[[str], ModuleType] = importlib.import_module,
) -> OnnxBertEmbedder:
    """Return bert's model on onnxruntime, checked against bert on ``PARITY_SENTENCE``.

    Tries the fused graph, then the standard-operator one. Raises ``Unavailable`` when
    onnxruntime cannot be imported, when the graph must be built and onnx cannot be imported,
    or when no graph gives bert's vectors (cosine above ``PARITY_MIN_COSINE``). A cached model
    that fails to load or to match is rebuilt once.
    """
    from relaydesk.errors import Unavailable

    try:
        import_module("onnxruntime")
    except ImportError as exc:
        raise Unavailable(f"the ONNX embedding backend needs onnxruntime: {exc}") from exc
    reference = bert.embed([PARITY_SENTENCE])
    problems: list[str] = []
    for fused in (True, False):
        kind = "fused" if fused else "standard"
        # First the cached model; if it fails to load or to match, one fresh build.
        for rebuild in (False, True) if cache_dir is not None else (True,):
            try:
                data = cached_model(
                    bert,
                    weights_file,
                    cache_dir,
                    fused=fused,
                    rebuild=rebuild,
                    import_module=import_module,
                )
                embedder = OnnxBertEmbedder(bert, data, import_module=import_module)
                cosine = parity_cosine(embedder.embed([PARITY_SENTENCE]), reference)
            except Exception as exc:  # noqa: BLE001 - any runtime failure means "not this graph"
                problems.append(f"{kind} graph: {exc}")
                continue
            if cosine > PARITY_MIN_COSINE:
                return embedder
            problems.append(f"{kind} graph: parity check failed (cosine {cosine:.6f})")
    raise Unavailable("the ONNX embedding backend is unavailable: " + "; ".join(problems))
