"""Benchmark the agent over generated knowledge bases of growing size.

For each size (default 100, 1,000 and 10,000 articles) it generates a knowledge base
(bench/kb_generator.py), imports it with ``relaydesk kb import`` (articles per second), then
runs ``relaydesk ask --jsonl`` as a real process and talks to it one line at a time:

- start to first answer: from starting the process to reading the first reply line (the
  import has just written the index cache, as `relaydesk kb import` always does);
- per-message latency: from writing a line to reading its reply (median, p90, max);
- peak memory: the process's VmHWM (peak resident set) from /proc after the last reply;
- sanity: the share of generated questions answered with their own article first.

    .venv/bin/python bench/bench_agent.py --sizes 100 1000 10000 --work /tmp/relaydesk-bench
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kb_generator import write_kb  # noqa: E402

RELAYDESK = [sys.executable, "-m", "relaydesk"]

HANDOFF = [
    "I want to talk to a person",
    "this is useless, get me a human",
    "my account was hacked",
    "quiero hablar con un agente",
]
OFF_TOPIC = [
    "do you integrate with Salesforce Einstein",
    "is there a Kubernetes operator",
    "what's the weather in Lisbon",
    "can I pay with Bitcoin",
]


def machine() -> dict[str, str]:
    """Return the CPU model, core count and Python version of this machine."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "nproc": str(os.cpu_count()),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def run_import(kb: Path, data_dir: Path, env: dict[str, str]) -> dict[str, float]:
    """Import kb into data_dir with the CLI; return seconds and articles per second."""
    started = time.perf_counter()
    done = subprocess.run(
        [*RELAYDESK, "kb", "import", str(kb), "--json", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    seconds = time.perf_counter() - started
    report = json.loads(done.stdout)
    count = len(report["added"]) + len(report["updated"]) + len(report["unchanged"])
    embedded = len(report["added"]) + len(report["updated"])
    return {
        "articles": count,
        "embedded": embedded,
        "seconds": round(seconds, 2),
        "articles_per_s": round(embedded / seconds, 1) if embedded else 0.0,
    }


class ReplayEmbedder:
    """Stands in for the model during a load-test import: returns real MiniLM vectors stored
    by an earlier, real import (cycling through them), under the real model's name and size.

    The importer still parses, chunks, stores and indexes every article; only the model's
    forward pass is skipped, so a 10,000-article index can be built in minutes on 2 cores.
    The vectors belong to other generated articles of the same template, so retrieval
    quality on such an index means nothing; its size, memory and query cost are real.
    """

    def __init__(self, source_data_dir: Path) -> None:
        import numpy as np

        from relaydesk.db.engine import Database
        from relaydesk.knowledge.queries import iter_passage_rows
        from relaydesk.settings import Settings

        db = Database(Settings(data_dir=source_data_dir).resolved_database_url)
        with db.session() as session:
            rows = [
                np.frombuffer(r.embedding, dtype=np.float32) for r in iter_passage_rows(session)
            ]
        db.dispose()
        self.pool = np.stack(rows)
        self.dim = int(self.pool.shape[1])
        self.name = "all-MiniLM-L6-v2"  # the stored vectors' model: queries use the real one
        self.position = 0

    def embed(self, texts: list[str]):  # type: ignore[no-untyped-def]
        import numpy as np

        picks = (np.arange(len(texts)) + self.position) % len(self.pool)
        self.position += len(texts)
        return self.pool[picks]


def replay_import(kb: Path, data_dir: Path, source_data_dir: Path) -> dict[str, float]:
    """Import kb in-process with ReplayEmbedder; return seconds and articles per second."""
    from relaydesk.app import open_database
    from relaydesk.knowledge import import_articles
    from relaydesk.settings import Settings

    embedder = ReplayEmbedder(source_data_dir)
    db = open_database(Settings(data_dir=data_dir))
    started = time.perf_counter()
    # As `relaydesk kb import` does: the index cache is brought up to date at the end.
    report = import_articles(db, kb, embedder, index_cache_dir=data_dir / "cache")  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    db.dispose()
    embedded = len(report.added) + len(report.updated)
    return {
        "articles": report.imported,
        "embedded": embedded,
        "seconds": round(seconds, 2),
        "articles_per_s": round(embedded / seconds, 1) if embedded else 0.0,
        "replayed_vectors": True,
    }


def peak_rss_mb(pid: int) -> float:
    """Return the peak resident set size of pid in MB (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_ask(
    data_dir: Path, messages: list[tuple[str, str | None]], env: dict[str, str]
) -> dict[str, object]:
    """Talk to `relaydesk ask --jsonl` one line at a time; return the timings and outcomes."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*RELAYDESK, "ask", "--jsonl", "--data-dir", str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    latencies: list[float] = []
    first_answer = 0.0
    right_source = 0
    questions = 0
    for number, (message, slug) in enumerate(messages):
        sent = time.perf_counter()
        proc.stdin.write(json.dumps({"id": number, "message": message}) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        received = time.perf_counter()
        if not line:
            raise RuntimeError(f"ask --jsonl stopped: {proc.stderr.read() if proc.stderr else ''}")
        reply = json.loads(line)
        if number == 0:
            first_answer = received - started
        else:  # the first line also pays for loading; it is reported as start-to-first-answer
            latencies.append((received - sent) * 1000)
        if slug is not None:
            questions += 1
            sources = reply.get("sources") or []
            right_source += (
                reply.get("action") == "answer" and bool(sources) and sources[0]["slug"] == slug
            )
    memory = peak_rss_mb(proc.pid)
    proc.stdin.close()
    proc.wait(timeout=60)
    latencies.sort()
    return {
        "messages": len(messages),
        "start_to_first_answer_s": round(first_answer, 2),
        "median_ms": round(statistics.median(latencies), 1),
        "p90_ms": round(latencies[int(0.9 * (len(latencies) - 1))], 1),
        "max_ms": round(latencies[-1], 1),
        "peak_rss_mb": round(memory, 1),
        "generated_questions_right_source": round(right_source / questions, 3)
        if questions
        else None,
    }


def bench_size(
    size: int, work: Path, messages: int, env: dict[str, str], replay_from: Path | None = None
) -> dict[str, object]:
    """Generate, import and query a knowledge base of size articles."""
    kb = work / f"kb-{size}"
    data_dir = work / f"data-{size}"
    articles = write_kb(kb, size) if not kb.is_dir() else None
    if articles is None:
        from kb_generator import generate

        articles = generate(size)
    if replay_from is not None:
        imported = replay_import(kb, data_dir, replay_from)
    else:
        imported = run_import(kb, data_dir, env)
    rng = random.Random(size)
    sample = rng.sample(articles, min(messages, len(articles)))
    mix: list[tuple[str, str | None]] = [(a.question, a.slug) for a in sample]
    mix += [(m, None) for m in HANDOFF + OFF_TOPIC]
    rng.shuffle(mix)
    asked = run_ask(data_dir, mix, env)
    if replay_from is not None:
        asked["generated_questions_right_source"] = None  # replayed vectors: not meaningful
    return {"size": size, "import": imported, "ask": asked}


def markdown_table(results: list[dict[str, object]]) -> str:
    """Return the results as the Markdown table of docs/benchmarks.md."""
    rows = [
        "| articles | import (articles/s) | ask --jsonl median / p90 (ms) | start to first answer (s) | peak memory (MB) | generated questions answered from their article |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        imp, ask = r["import"], r["ask"]
        assert isinstance(imp, dict) and isinstance(ask, dict)
        replayed = " (replayed vectors)" if imp.get("replayed_vectors") else ""
        if not imp["embedded"]:
            replayed = " (already imported: see an earlier run)"
        rows.append(
            f"| {r['size']:,} | {imp['articles_per_s']}{replayed} ({imp['seconds']} s) | {ask['median_ms']} / {ask['p90_ms']} "
            f"| {ask['start_to_first_answer_s']} | {ask['peak_rss_mb']} | {ask['generated_questions_right_source']} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--messages", type=int, default=200, help="generated questions per size")
    parser.add_argument("--work", type=Path, default=Path("/tmp/relaydesk-bench"))
    parser.add_argument(
        "--replay-above",
        type=int,
        default=None,
        help="for sizes above this, import with ReplayEmbedder using the vectors stored by "
        "the run of this size (a load test of the index, not of the model)",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ}
    env.pop("RELAYDESK_DATABASE_URL", None)
    results = []
    for size in args.sizes:
        replay = None
        if args.replay_above is not None and size > args.replay_above:
            replay = args.work / f"data-{args.replay_above}"
        result = bench_size(size, args.work, args.messages, env, replay)
        print(json.dumps(result), flush=True)
        results.append(result)
    out = {"machine": machine(), "results": results}
    (args.work / "results.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out["machine"]))
    print(markdown_table(results))


if __name__ == "__main__":
    main()
