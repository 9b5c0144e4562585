"""Knowledge import and retrieval cost over generated knowledge bases of growing size.

    .venv/bin/python bench/bench_retrieval.py --sizes 100,1000,10000 [--embed-import-max 1000]

For each size, in a fresh process: generate N articles (~170-280 words, 3-5 headed sections,
from a fixed random vocabulary), import them into a fresh SQLite file, load the index, and run
200 searches. Import uses the real MiniLM model up to --embed-import-max articles; above it,
the import uses a 384-dimension random embedder (same number and shape of stored vectors, so
index load, search cost and memory are those of the real thing) and its rate is not reported
as a MiniLM rate. Searches always embed the query with MiniLM. Prints a Markdown table.
``import_articles_per_cpu_s`` is articles per CPU-second of this process (all threads): on a
shared, busy machine it shows the cost the wall-clock rate hides.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS_SEED = 7


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Return real English words: whole-word entries of the MiniLM tokenizer's vocabulary."""
    from relaydesk.knowledge.embeddings import minilm_model_dir

    words = [
        w
        for w in (minilm_model_dir() / "vocab.txt").read_text("utf-8").split()
        if w.isalpha() and w.isascii() and len(w) >= 3
    ]
    rng.shuffle(words)
    return words[:size]


def zipf_words(rng: random.Random, vocab: list[str], n: int) -> list[str]:
    weights = [1.0 / (i + 1) for i in range(len(vocab))]
    return rng.choices(vocab, weights=weights, k=n)


def generate_kb(root: Path, count: int) -> list[str]:
    """Write count articles under root; return some queries built from their headings."""
    rng = random.Random(WORDS_SEED)
    vocab = vocabulary(rng)
    queries = []
    for i in range(count):
        title = " ".join(zipf_words(rng, vocab, rng.randint(2, 5))).capitalize()
        lines = [f"---\ntitle: {title}\nurl: https://help.example.test/a{i}\n---\n", f"# {title}\n"]
        words_left = rng.randint(170, 280)
        sections = rng.randint(3, 5)
        for s in range(sections):
            heading = " ".join(zipf_words(rng, vocab, rng.randint(2, 4))).capitalize()
            lines.append(f"\n## {heading}\n")
            n = words_left // (sections - s)
            words_left -= n
            lines.append(" ".join(zipf_words(rng, vocab, n)) + ".\n")
            if rng.random() < 0.3:
                queries.append(f"how do I {heading.lower()} in {title.lower()}")
        (root / f"article-{i:05d}.md").write_text("".join(lines), encoding="utf-8")
    return queries


class RandomEmbedder:
    """Stand-in for large imports: a unit vector seeded by the text's hash (same shape as MiniLM)."""

    name = "random-384"
    dim = 384

    def embed(self, texts: list[str]) -> object:
        import hashlib

        import numpy as np

        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            out[i] = np.random.default_rng(seed).standard_normal(self.dim)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def run_one(size: int, embed_import_max: int) -> dict[str, object]:

    from relaydesk.db.engine import Database
    from relaydesk.db.migrate import upgrade_to_head
    from relaydesk.knowledge import import_articles
    from relaydesk.knowledge.embeddings import load_minilm

    minilm = load_minilm()  # as the CLI: onnxruntime when it passes its parity check, else numpy
    with tempfile.TemporaryDirectory() as tmp:
        kb = Path(tmp) / "kb"
        kb.mkdir()
        queries = generate_kb(kb, size)
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade_to_head(db.engine)
        real = size <= embed_import_max
        import_embedder = minilm if real else RandomEmbedder()
        started = time.perf_counter()
        cpu = time.process_time()
        report = import_articles(db, kb, import_embedder)  # type: ignore[arg-type]
        import_s = time.perf_counter() - started
        import_cpu_s = time.process_time() - cpu
        started = time.perf_counter()
        again = import_articles(db, kb, import_embedder)  # type: ignore[arg-type]
        reimport_s = time.perf_counter() - started
        assert len(again.unchanged) == size
        db.dispose()
        (Path(tmp) / "queries.json").write_text(json.dumps(queries))
        # Index load, searches and memory in a fresh process, as `relaydesk ask` would run.
        out = subprocess.run(
            [sys.executable, __file__, "--query-phase", tmp],
            check=True,
            capture_output=True,
            text=True,
        )
        serving = json.loads(out.stdout.strip().splitlines()[-1])
    import_rss_mb = _peak_rss_mb()
    return {
        "articles": size,
        "passages": serving.pop("passages"),
        "import_embedder": "minilm" if real else "random-384",
        "import_articles_per_s": round(len(report.added) / import_s, 1),
        "import_articles_per_cpu_s": round(len(report.added) / import_cpu_s, 1),
        "reimport_unchanged_s": round(reimport_s, 2),
        "import_peak_rss_mb": round(import_rss_mb),
        **serving,
    }


def _peak_rss_mb() -> int:
    """Return this process's peak resident memory (VmHWM; ru_maxrss survives exec on Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def query_phase(tmp: str) -> dict[str, object]:
    import numpy as np

    from relaydesk.db.engine import Database
    from relaydesk.knowledge import KnowledgeIndex
    from relaydesk.knowledge.embeddings import load_minilm

    started = time.perf_counter()
    minilm = load_minilm()
    db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
    index = KnowledgeIndex.load(db, minilm)
    load_s = time.perf_counter() - started
    queries = json.loads((Path(tmp) / "queries.json").read_text())
    rng = random.Random(1)
    sample = [rng.choice(queries) for _ in range(200)]
    vectors = minilm.embed(sample[:50])
    full, retrieval = [], []
    for q in sample:
        t = time.perf_counter()
        index.search(q, k=5)
        full.append((time.perf_counter() - t) * 1000)
    for i, q in enumerate(sample[:50]):
        t = time.perf_counter()
        index.search(q, k=5, query_vector=vectors[i])
        retrieval.append((time.perf_counter() - t) * 1000)
    db.dispose()
    return {
        "passages": index.passage_count,
        "model_and_index_load_s": round(load_s, 2),
        "search_ms_median": round(statistics.median(full), 2),
        "search_ms_p95": round(float(np.percentile(full, 95)), 2),
        "retrieval_only_ms_median": round(statistics.median(retrieval), 2),
        "serving_peak_rss_mb": _peak_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--embed-import-max", type=int, default=1000)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--query-phase", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query_phase:
        print(json.dumps(query_phase(args.query_phase)))
        return
    if args.one:
        print(json.dumps(run_one(args.one, args.embed_import_max)))
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(size),
                "--embed-import-max",
                str(args.embed_import_max),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), file=sys.stderr)
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
