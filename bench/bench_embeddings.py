"""Sentence embedding throughput: the numpy forward pass vs the onnxruntime graph.

    .venv/bin/python bench/bench_embeddings.py [--seconds 4] [--threads 1]

Cases: short queries (~12-16 tokens) at batch 1 and batch 3, and passages (~120-150 tokens)
at batch 32, then batch-1 queries from two threads at once (a server answering two users). Each case runs for about --seconds per backend (after a warm-up call) and reports
sentences per second (wall clock) and sentences per CPU-second of this process. Also reports
the start-up cost of each backend and the largest difference between their vectors. Prints a
Markdown table.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

QUERY = "How do I change the billing email on my account invoices?"


def passage(rng: random.Random, vocab: list[str], words: int = 120) -> str:
    """Return a passage of real vocabulary words (~150 tokens for 120 words)."""
    return " ".join(rng.choice(vocab) for _ in range(words)) + "."


def measure(
    embed: Callable[[list[str]], np.ndarray], texts: list[str], seconds: float
) -> tuple[float, float]:
    """Return (sentences per wall second, sentences per CPU second) over about seconds."""
    embed(texts)
    done = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall0 < seconds:
        embed(texts)
        done += len(texts)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return done / wall, done / max(cpu, 1e-9)


def measure_threads(
    embed: Callable[[list[str]], np.ndarray], texts: list[str], seconds: float, threads: int
) -> tuple[float, float]:
    """Like measure, with threads calling embed at once (a server answering several users)."""
    embed(texts)
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def run(slot: int) -> None:
        while time.perf_counter() < stop:
            embed(texts)
            done[slot] += len(texts)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return sum(done) / wall, sum(done) / max(cpu, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--threads", type=int, default=1, help="onnxruntime intra-op threads")
    parser.add_argument("--kb", type=Path, help="also time `kb import` of this folder with each")
    args = parser.parse_args()

    from relaydesk.knowledge import onnx_bert
    from relaydesk.knowledge.embeddings import BertEmbedder, load_minilm, minilm_model_dir

    model_dir = minilm_model_dir()
    t0 = time.perf_counter()
    bert = BertEmbedder(model_dir, name="all-MiniLM-L6-v2")
    numpy_load = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as cache:
        # Each ONNX load includes the numpy model's load and the parity check.
        t0 = time.perf_counter()
        load_minilm("onnx", cache_dir=Path(cache))
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        warm = load_minilm("onnx", cache_dir=Path(cache))
        warm_load = time.perf_counter() - t0
    assert isinstance(warm, onnx_bert.OnnxBertEmbedder)
    onnx = onnx_bert.OnnxBertEmbedder(bert, onnx_bert.build_model_bytes(bert), threads=args.threads)

    rng = random.Random(3)
    vocab = [
        w
        for w in (model_dir / "vocab.txt").read_text("utf-8").split()
        if w.isalpha() and w.isascii() and len(w) >= 3
    ]
    passages = [passage(rng, vocab) for _ in range(32)]
    tokens_q = len(bert._tokenizer.encode(QUERY).ids)
    tokens_p = int(np.mean([len(bert._tokenizer.encode(p).ids) for p in passages]))
    cases = [
        (f"query, batch 1 (~{tokens_q} tokens)", [QUERY]),
        (f"query, batch 3 (~{tokens_q} tokens)", [QUERY, QUERY + " Thanks", "Refund " + QUERY]),
        (f"passage, batch 32 (~{tokens_p} tokens)", passages),
    ]
    diff = float(np.abs(bert.embed(passages + [QUERY]) - onnx.embed(passages + [QUERY])).max())

    print(
        f"load: numpy {numpy_load:.2f} s; onnx {cold:.2f} s building the graph, {warm_load:.2f} s"
        f" from the cache (both include the numpy load and the parity check);"
        f" max |numpy - onnx| {diff:.1e}"
    )
    print()
    print("| case | numpy sent/s | onnx sent/s | speed-up | numpy sent/CPU-s | onnx sent/CPU-s |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, texts in cases:
        n_wall, n_cpu = measure(bert.embed, texts, args.seconds)
        o_wall, o_cpu = measure(onnx.embed, texts, args.seconds)
        row(label, n_wall, o_wall, n_cpu, o_cpu)
    label = f"query, batch 1, 2 threads at once (~{tokens_q} tokens)"
    n_wall, n_cpu = measure_threads(bert.embed, [QUERY], args.seconds, 2)
    o_wall, o_cpu = measure_threads(onnx.embed, [QUERY], args.seconds, 2)
    row(label, n_wall, o_wall, n_cpu, o_cpu)
    if args.kb is not None:
        print()
        for runtime, embedder in (("numpy", bert), ("onnx", onnx)):
            print(f"kb import of {args.kb} on {runtime}: {import_rate(args.kb, embedder)}")


def import_rate(kb: Path, embedder: object) -> str:
    """Import kb into a fresh SQLite file with embedder; return the rate and the embed share."""
    from relaydesk.app import open_database
    from relaydesk.cli.common import load_settings
    from relaydesk.knowledge import Embedder, import_articles

    assert isinstance(embedder, Embedder)
    spent = [0.0]

    class Timed:
        name, dim = embedder.name, embedder.dim

        def embed(self, texts: list[str]) -> np.ndarray:
            t0 = time.perf_counter()
            try:
                return embedder.embed(texts)
            finally:
                spent[0] += time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(Path(tmp), database_url=f"sqlite:///{tmp}/bench.db")
        db = open_database(settings)
        try:
            t0, c0 = time.perf_counter(), time.process_time()
            report = import_articles(db, kb, Timed())
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        finally:
            db.dispose()
    return (
        f"{report.imported / wall:.1f} articles/s ({report.imported / cpu:.1f} per CPU-s),"
        f" embedding {100 * spent[0] / wall:.0f}% of the time"
    )


def row(label: str, n_wall: float, o_wall: float, n_cpu: float, o_cpu: float) -> None:
    """Print one table row."""
    print(
        f"| {label} | {n_wall:.0f} | {o_wall:.0f} | {o_wall / n_wall:.1f}x | "
        f"{n_cpu:.0f} | {o_cpu:.0f} |"
    )


if __name__ == "__main__":
    main()
