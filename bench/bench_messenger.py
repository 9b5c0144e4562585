"""Benchmark the messenger through its public HTTP + WebSocket API, against `relaydesk serve`.

    .venv/bin/python bench/bench_messenger.py [--kb ../shared/eval/dev] [--seconds 20]

It starts `relaydesk serve` (SQLite, the packaged embedding model, the default workflow) in a
subprocess, imports a knowledge base, and measures:

1. messages/s with the AI step: visitors ask questions the knowledge base answers, each in
   its own conversation, as fast as the server answers (closed loop, --concurrency clients);
2. the round trip (median, p99) at a fixed offered load (--rate messages/s, open loop);
3. both again with the AI step taken out (a workflow whose step answers without the agent);
4. --sockets simultaneous WebSocket connections held by the server, with its memory, and the
   time for a message to reach them: once on the fresh server (after the warm-up answer,
   before the throughput runs), and once more after the throughput runs.

Load is generated from this process on the same machine, so client and server share the CPUs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets

ROOT = Path(__file__).resolve().parents[1]
RELAYDESK = [sys.executable, "-m", "relaydesk"]
NO_AI_WORKFLOW = {
    "name": "no-ai",
    "start": "welcome",
    "blocks": [
        {"id": "welcome", "type": "message", "text": "Hi! Tell us anything.", "next": "note"},
        {
            # Never valid, so every message gets a reply and the conversation stays here:
            # the same store → workflow → reply path as the AI step, without the agent.
            "id": "note",
            "type": "collect",
            "field": "attribute",
            "attribute": "note",
            "prompt": "What can we note down for you?",
            "pattern": "(?!)",
            "invalid_text": "Noted, thank you.",
            "skip_if_known": False,
            "next": "bye",
        },
        {"id": "bye", "type": "close"},
    ],
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Run:
    """Latencies (ms) and counts of one measurement."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    ai_messages: int = 0
    server_cpu: float = 0.0
    client_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def row(self) -> str:
        lat = self.latencies
        cpu_ms = self.server_cpu / len(lat) * 1000 if lat else 0.0
        client_ms = self.client_cpu / len(lat) * 1000 if lat else 0.0
        return (
            f"| {self.name} | {len(lat)} | {self.rate:.0f} | {statistics.median(lat) if lat else 0:.1f} "
            f"| {_percentile(lat, 99):.1f} | {max(lat) if lat else 0:.1f} | {cpu_ms:.1f} "
            f"| {client_ms:.1f} | {self.errors} |"
        )


class Server:
    """`relaydesk serve` in a subprocess over a fresh data dir."""

    def __init__(self, data_dir: Path, port: int) -> None:
        self.data_dir = data_dir
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "RELAYDESK_DATA_DIR": str(data_dir),
            "RELAYDESK_MESSENGER_MESSAGES_PER_MINUTE": "0",
            "RELAYDESK_MESSENGER_SESSIONS_PER_MINUTE": "0",
            "RELAYDESK_LOG_LEVEL": "WARNING",
        }
        self.env.pop("RELAYDESK_DATABASE_URL", None)
        self.proc: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [*RELAYDESK, *args, "--data-dir", str(self.data_dir)],
            env=self.env,
            capture_output=True,
            check=True,
        )
        return done.stdout.decode()

    def start(self) -> None:
        self.log = open(self.data_dir.parent / "serve.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [*RELAYDESK, "serve", "--port", str(self.port), "--data-dir", str(self.data_dir)],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("relaydesk serve did not start")

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is not None:
                print(f"relaydesk serve exited with {self.proc.returncode}", file=sys.stderr)
            self.proc.terminate()
            self.proc.wait(20)
            self.log.close()
            tail = (self.data_dir.parent / "serve.log").read_text(errors="replace")[-3000:]
            if tail.strip():
                print("--- server log (tail) ---\n" + tail, file=sys.stderr)


async def _visitor(http: httpx.AsyncClient) -> tuple[str, str]:
    session = await http.post("/messenger/v1/sessions", json={"page_url": "https://bench.example/"})
    session.raise_for_status()
    token = session.json()["visitor_token"]
    conv = await http.post(
        "/messenger/v1/conversations", headers={"Authorization": f"Bearer {token}"}
    )
    return token, conv.json()["id"]


async def _send(
    http: httpx.AsyncClient, token: str, conv: str, text: str, run: Run
) -> list[dict[str, Any]]:
    started = time.perf_counter()
    try:
        response = await http.post(
            f"/messenger/v1/conversations/{conv}/messages",
            json={"text": text},
            headers={"Authorization": f"Bearer {token}"},
        )
    except httpx.TransportError as exc:
        run.errors += 1
        print(f"transport error: {exc!r}", file=sys.stderr)
        return []
    took = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        run.errors += 1
        return []
    run.latencies.append(took)
    messages: list[dict[str, Any]] = response.json()["messages"]
    if any(m["author"] == "ai" and m["sources"] for m in messages):
        run.ai_messages += 1
    return messages


def _left_the_ai(messages: list[dict[str, Any]]) -> bool:
    """Tell whether the conversation went on to the escalation path (no AI on the next one)."""
    last = messages[-1] if messages else {}
    return bool(last.get("buttons")) and last["buttons"][0]["id"] != "yes"


async def closed_loop(
    base: str, questions: list[str], *, clients: int, seconds: float, name: str, pid: int
) -> Run:
    """Each client sends its next message as soon as the previous one is answered."""
    run = Run(name)
    limits = httpx.Limits(max_connections=clients + 4, keepalive_expiry=3)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        visitors = [await _visitor(http) for _ in range(clients)]
        stop = time.perf_counter() + seconds

        async def client(i: int) -> None:
            token, conv = visitors[i]
            rnd = random.Random(i)
            while time.perf_counter() < stop:
                messages = await _send(http, token, conv, rnd.choice(questions), run)
                if _left_the_ai(messages):
                    token, conv = await _visitor(http)

        started, cpu, mine = time.perf_counter(), _cpu_seconds(pid), time.process_time()
        await asyncio.gather(*(client(i) for i in range(clients)))
        run.elapsed = time.perf_counter() - started
        run.server_cpu = _cpu_seconds(pid) - cpu
        run.client_cpu = time.process_time() - mine
    return run


async def open_loop(
    base: str, questions: list[str], *, rate: float, seconds: float, name: str, pid: int
) -> Run:
    """Send messages at a fixed rate (spread over many visitors) and time each round trip."""
    run = Run(name)
    pool = max(8, int(rate))  # each visitor sends about once a second
    async with httpx.AsyncClient(
        base_url=base, limits=httpx.Limits(max_connections=pool + 8, keepalive_expiry=3), timeout=60
    ) as http:
        visitors = [await _visitor(http) for _ in range(pool)]
        busy: set[int] = set()
        tasks: list[asyncio.Task[None]] = []
        rnd = random.Random(7)

        async def one(i: int) -> None:
            token, conv = visitors[i]
            messages = await _send(http, token, conv, rnd.choice(questions), run)
            if _left_the_ai(messages):
                visitors[i] = await _visitor(http)
            busy.discard(i)

        started, cpu, mine = time.perf_counter(), _cpu_seconds(pid), time.process_time()
        n = int(rate * seconds)
        for k in range(n):
            due = started + k / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            free = next((i for i in range(pool) if i not in busy), None)
            if free is None:
                run.errors += 1  # the server fell behind: more requests in flight than visitors
                continue
            busy.add(free)
            tasks.append(asyncio.create_task(one(free)))
        await asyncio.gather(*tasks)
        run.elapsed = time.perf_counter() - started
        run.server_cpu = _cpu_seconds(pid) - cpu
        run.client_cpu = time.process_time() - mine
    return run


async def sockets(server: Server, count: int) -> dict[str, Any]:
    """Hold count WebSockets (one conversation each) and measure the server's memory."""
    assert server.proc is not None
    rss_before = _rss_mb(server.proc.pid)
    ws_base = server.base.replace("http://", "ws://")
    async with httpx.AsyncClient(
        base_url=server.base,
        limits=httpx.Limits(max_connections=32, keepalive_expiry=3),
        timeout=60,
    ) as http:
        sem = asyncio.Semaphore(16)

        async def make() -> tuple[str, str]:
            async with sem:
                return await _visitor(http)

        visitors = await asyncio.gather(*(make() for _ in range(count)))
        rss_idle = _rss_mb(server.proc.pid)
        opened = time.perf_counter()
        conns = []
        for token, conv in visitors:
            ws = await websockets.connect(
                f"{ws_base}/messenger/v1/conversations/{conv}/stream?token={token}",
                max_queue=64,
                open_timeout=60,
            )
            await ws.recv()  # the status event: the subscription is live
            conns.append(ws)
        open_seconds = time.perf_counter() - opened
        await asyncio.sleep(2)
        rss_held = _rss_mb(server.proc.pid)
        # A message in 100 of the conversations reaches their sockets: time to delivery.
        sample = list(range(0, count, max(1, count // 100)))
        latencies = []
        for i in sample:
            token, conv = visitors[i]
            started = time.perf_counter()
            await http.post(
                f"/messenger/v1/conversations/{conv}/messages",
                json={"text": "hello"},
                headers={"Authorization": f"Bearer {token}"},
            )
            while True:
                event = json.loads(await asyncio.wait_for(conns[i].recv(), 30))
                if event["type"] == "message" and event["message"]["author"] == "visitor":
                    break
            latencies.append((time.perf_counter() - started) * 1000)
        alive = sum(1 for ws in conns if ws.state.name == "OPEN")
        for ws in conns:
            await ws.close()
    return {
        "sockets": count,
        "alive": alive,
        "open_seconds": open_seconds,
        "rss_before_mb": rss_before,
        "rss_conversations_mb": rss_idle,
        "rss_with_sockets_mb": rss_held,
        "per_socket_kb": (rss_held - rss_idle) * 1024 / count,
        "delivery_median_ms": statistics.median(latencies),
        "delivery_p99_ms": _percentile(latencies, 99),
    }


def _questions(kb: Path) -> list[str]:
    cases = [
        json.loads(line) for line in (kb / "cases.jsonl").read_text().splitlines() if line.strip()
    ]
    return [c["message"] for c in cases if c["expect"] == "answer"]


async def main_async(args: argparse.Namespace) -> None:
    questions = _questions(args.kb)
    with tempfile.TemporaryDirectory(prefix="relaydesk-bench-") as tmp:
        server = Server(Path(tmp) / "data", _free_port())
        server.cli("kb", "import", str(args.kb / "kb"))
        server.start()
        try:
            # Warm up: the first question waits for the agent to load (model, index, exemplars).
            async with httpx.AsyncClient(base_url=server.base, timeout=600) as http:
                token, conv = await _visitor(http)
                warm = Run("warm-up")
                t0 = time.perf_counter()
                await _send(http, token, conv, questions[0], warm)
                print(f"agent ready after {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            results: list[Run] = []
            assert server.proc is not None
            pid = server.proc.pid
            held: dict[str, dict[str, Any]] = {}
            if args.sockets:
                held["fresh server"] = await sockets(server, args.sockets)

            for label, workflow in (("with AI", None), ("without AI", NO_AI_WORKFLOW)):
                if workflow is not None:
                    path = Path(tmp) / "workflow.json"
                    path.write_text(json.dumps(workflow))
                    server.cli("workflow", "set", str(path))
                results.append(
                    await closed_loop(
                        server.base,
                        questions,
                        clients=args.concurrency,
                        seconds=args.seconds,
                        name=f"{label}, {args.concurrency} clients as fast as possible",
                        pid=pid,
                    )
                )
                for rate in args.rate:
                    results.append(
                        await open_loop(
                            server.base,
                            questions,
                            rate=rate,
                            seconds=args.seconds,
                            name=f"{label}, offered {rate:g} msg/s",
                            pid=pid,
                        )
                    )
            if args.sockets:
                held["after the throughput runs"] = await sockets(server, args.sockets)
        finally:
            server.stop()
    print(
        f"\nmachine: {platform.platform()}, {os.cpu_count()} CPUs; python {platform.python_version()}"
    )
    print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print(
        "| run | messages | msg/s | median ms | p99 ms | max ms | server CPU ms/msg "
        "| client CPU ms/msg | dropped |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for run in results:
        print(run.row())
    print(f"\nAI answers with sources: {[r.ai_messages for r in results]}")
    if held:
        print("\n" + json.dumps(held, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--kb",
        type=Path,
        default=ROOT.parent / "shared" / "eval" / "dev",
        help="folder with kb/ and cases.jsonl (the questions: its 'answer' cases)",
    )
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--rate",
        type=float,
        action="append",
        help="offered load of an open-loop run, messages/s (repeatable; default 150)",
    )
    parser.add_argument("--sockets", type=int, default=1000)
    args = parser.parse_args()
    args.rate = args.rate or [150.0]
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
