"""Run every relaydesk benchmark in sequence (``make bench``), one at a time.

    .venv/bin/python bench/run_all.py [--only agent messenger ...] [--skip webhooks ...]
                                      [--work /tmp/relaydesk-bench-all] [--dry-run]

Each script runs in its own process, one after the other (never two at once: they share the
CPUs with the servers they start), with these default sizes:

- core:       ``core_throughput.py`` (SQLite; 1,000 messages, 3,000 jobs)
- embeddings: ``bench_embeddings.py --seconds 4 --kb ../shared/eval/dev/kb``
- retrieval:  ``retrieval_eval.py ../shared/eval/dev`` then
              ``bench_retrieval.py --sizes 100,1000,10000 --embed-import-max 1000``
- agent:      ``bench_agent.py --sizes 100 1000 10000 --replay-above 1000`` (the model
              embeds the 100- and 1,000-article imports; the 10,000-article index replays
              the 1,000 import's vectors, see the script; drop ``--replay-above`` by hand for
              a real 10,000-article import, about 6 minutes on 2 idle cores)
- messenger:  ``bench_messenger.py --seconds 20 --sockets 1000 --rate 150 --rate 40``
- webhooks:   ``bench_webhooks.py --webhooks 3000 --concurrency 32 --replies 100``

The whole run takes about 15-25 minutes on an idle 2-core machine, much longer under load.
Benchmarks that need the shared eval set (``../shared/eval/dev``) are skipped when it is
missing. Each script prints its own results (most of them a Markdown table for
docs/benchmarks.md); this runner prints which script runs, the load average before it, and
its wall time, and exits non-zero if any script failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEV = ROOT.parent / "shared" / "eval" / "dev"


def plan(work: Path) -> list[tuple[str, list[str], bool]]:
    """Return (group, argv, needs the dev set) for every benchmark, in run order."""
    py = sys.executable
    return [
        ("core", [py, str(BENCH / "core_throughput.py")], False),
        (
            "embeddings",
            [py, str(BENCH / "bench_embeddings.py"), "--seconds", "4", "--kb", str(DEV / "kb")],
            True,
        ),
        ("retrieval", [py, str(BENCH / "retrieval_eval.py"), str(DEV)], True),
        (
            "retrieval",
            [
                py,
                str(BENCH / "bench_retrieval.py"),
                "--sizes",
                "100,1000,10000",
                "--embed-import-max",
                "1000",
            ],
            False,
        ),
        (
            "agent",
            [
                py,
                str(BENCH / "bench_agent.py"),
                "--sizes",
                "100",
                "1000",
                "10000",
                "--replay-above",
                "1000",
                "--work",
                str(work / "agent"),
            ],
            False,
        ),
        (
            "messenger",
            [
                py,
                str(BENCH / "bench_messenger.py"),
                "--kb",
                str(DEV),
                "--seconds",
                "20",
                "--sockets",
                "1000",
                "--rate",
                "150",
                "--rate",
                "40",
            ],
            True,
        ),
        ("webhooks", [py, str(BENCH / "bench_webhooks.py")], False),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", help="run only these groups")
    parser.add_argument("--skip", nargs="+", default=[], help="skip these groups")
    parser.add_argument("--work", type=Path, default=Path("/tmp/relaydesk-bench-all"))
    parser.add_argument("--dry-run", action="store_true", help="print the commands only")
    args = parser.parse_args()
    failed: list[str] = []
    for group, argv, needs_dev in plan(args.work):
        if (args.only and group not in args.only) or group in args.skip:
            continue
        shown = " ".join(Path(a).name if a == sys.executable else a for a in argv)
        if needs_dev and not DEV.is_dir():
            print(f"== skip {group}: {DEV} not found ({shown})", flush=True)
            continue
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"== {group}: {shown}  (load average {load})", flush=True)
        if args.dry_run:
            continue
        args.work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        code = subprocess.call(argv, cwd=ROOT)
        print(f"== {group}: exit {code} after {time.perf_counter() - started:.0f} s", flush=True)
        if code != 0:
            failed.append(f"{group} ({Path(argv[1]).name})")
    if failed:
        print("failed: " + ", ".join(failed), flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
