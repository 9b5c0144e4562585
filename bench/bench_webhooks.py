"""Benchmark Freshchat webhooks against `relaydesk serve` in a subprocess.

    .venv/bin/python bench/bench_webhooks.py [--webhooks 3000] [--concurrency 32] [--replies 100]

1. Throughput: distinct signed ``message_create`` webhooks POSTed to ``/webhooks/freshchat``
   as fast as relaydesk accepts them (each one: RSA-SHA256 verified over the raw body, a
   receipt and a job written in one transaction, 200). The job worker is off in this part, so
   only acceptance is measured; the jobs stay queued.
2. Latency: relaydesk (worker on) and the Freshworks sandbox (`relaydesk sandbox serve`) each
   in their own process; a visitor hands off to Freshchat, keeps the conversation's WebSocket
   open, and an agent replies in the sandbox (``POST /_sandbox/freshchat/conversations/{id}/
   reply``) --replies times. Measured: from sending the reply to the sandbox until the
   visitor's WebSocket has the message (signed webhook → verify → job → store → publish).

Load comes from this process on the same machine, so client and servers share the CPUs.
Prints a Markdown section for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import websockets

from relaydesk.sandbox.signing import WebhookSigner

RELAYDESK = [sys.executable, "-m", "relaydesk"]
ARTICLE = """---
title: Reset your password
url: https://help.example.com/articles/reset-your-password
---
# Reset your password

Open the sign-in page and choose Forgot password; we email you a reset link.
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start(args: list[str], env: dict[str, str], url: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"{args} did not start")


def cpu_seconds(pid: int) -> float:
    """Return the user + system CPU time a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def event(i: int) -> bytes:
    body = {
        "actor": {"actor_type": "agent", "actor_id": "bench-agent"},
        "action": "message_create",
        "action_time": "2026-11-27T10:00:00.000Z",
        "data": {
            "message": {
                "id": f"bench-{i}-{uuid.uuid4().hex}",
                "conversation_id": f"bench-conversation-{i % 50}",
                "actor_type": "agent",
                "actor_id": "bench-agent",
                "message_type": "normal",
                "message_parts": [{"text": {"content": f"Reply number {i} — ✓"}}],
            }
        },
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


async def _post_raw(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    """Send one prepared HTTP/1.1 request on a kept-alive connection; return the status."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    return status


def _request(host: str, port: int, body: bytes, signature: str) -> bytes:
    return (
        f"POST /webhooks/freshchat HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Content-Type: application/json\r\nX-Freshchat-Signature: {signature}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def throughput(
    url: str, signer: WebhookSigner, count: int, concurrency: int
) -> dict[str, Any]:
    """POST count distinct signed webhooks over concurrency kept-alive connections.

    The client writes prepared requests on raw sockets (no HTTP library), so that the
    measurement is of relaydesk, not of a Python HTTP client sharing its CPUs.
    """
    parsed = httpx.URL(url)
    host, port = parsed.host, parsed.port or 80
    requests = [_request(host, port, b, signer.sign(b)) for b in (event(i) for i in range(count))]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while not queue.empty():
                request = queue.get_nowait()
                t0 = time.perf_counter()
                status = await _post_raw(reader, writer, request)
                latencies.append((time.perf_counter() - t0) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    warm = event(-1)
    reader, writer = await asyncio.open_connection(host, port)
    await _post_raw(reader, writer, _request(host, port, warm, signer.sign(warm)))
    writer.close()
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {
        "count": count,
        "seconds": elapsed,
        "per_second": count / elapsed,
        "statuses": statuses,
        "p50_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 0.99),
    }


async def reply_latency(relay: str, sandbox: str, replies: int) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=relay, timeout=30) as http:
        token = (
            await http.post(
                "/messenger/v1/sessions", json={"page_url": "https://shop.example.com/"}
            )
        ).json()["visitor_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        conv = (await http.post("/messenger/v1/conversations", json={})).json()["id"]
        path = f"/messenger/v1/conversations/{conv}/messages"
        msgs = (await http.post(path, json={"text": "How do I reset my password?"})).json()[
            "messages"
        ]
        if not any(b["id"] == "human" for m in msgs for b in m.get("buttons") or []):
            await http.post(path, json={"text": "I want to talk to a human"})
        await http.post(path, json={"button_id": "human"})
        fcid = None
        deadline = time.monotonic() + 60
        while fcid is None and time.monotonic() < deadline:
            state = httpx.get(f"{sandbox}/_sandbox/state").json()
            convs = state["freshchat"]["conversations"]
            fcid = convs[0]["conversation_id"] if convs else None
            await asyncio.sleep(0.1)
        if fcid is None:
            raise SystemExit("the handoff never reached the sandbox")
        await asyncio.sleep(1.0)
        ws_url = (
            relay.replace("http://", "ws://")
            + f"/messenger/v1/conversations/{conv}/stream?token={token}"
        )
        latencies: list[float] = []
        async with (
            websockets.connect(ws_url) as ws,
            httpx.AsyncClient(base_url=sandbox, timeout=30) as sb,
        ):
            for i in range(replies):
                text = f"agent reply {i} {uuid.uuid4().hex[:6]}"
                t0 = time.perf_counter()
                await sb.post(
                    f"/_sandbox/freshchat/conversations/{fcid}/reply", json={"text": text}
                )
                while True:
                    data = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
                    if data.get("type") == "message" and data["message"]["text"] == text:
                        latencies.append((time.perf_counter() - t0) * 1000)
                        break
                await asyncio.sleep(0.05)
    return {
        "replies": replies,
        "median_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--webhooks", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--replies", type=int, default=100)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="relaydesk-bench-webhooks-"))
    base_env = {**os.environ, "RELAYDESK_LOG_LEVEL": "WARNING"}

    # --- 1. throughput -----------------------------------------------------------------------
    signer = WebhookSigner.generate()
    key = root / "key.pem"
    key.write_text(signer.public_key_pem)
    env1 = {
        **base_env,
        "RELAYDESK_DATA_DIR": str(root / "acceptance"),
        "RELAYDESK_WORKER_ENABLED": "false",
    }
    run([*RELAYDESK, "connect", "freshchat", "--base-url", "http://127.0.0.1:9", "--api-key", "bench-key",
         "--webhook-public-key", str(key), "--no-check"], env1)  # fmt: skip
    port = free_port()
    relay = f"http://127.0.0.1:{port}"
    proc = start([*RELAYDESK, "serve", "--port", str(port)], env1, relay + "/healthz")
    try:
        cpu_before = cpu_seconds(proc.pid)
        tp = asyncio.run(throughput(relay, signer, args.webhooks, args.concurrency))
        tp["server_cpu"] = cpu_seconds(proc.pid) - cpu_before
    finally:
        proc.terminate()
        proc.wait(20)

    # --- 2. agent reply → widget latency -----------------------------------------------------
    env2 = {
        **base_env,
        "RELAYDESK_DATA_DIR": str(root / "latency"),
        "RELAYDESK_EMBEDDING_BACKEND": "hashing",
    }
    sb_port = free_port()
    sandbox = f"http://127.0.0.1:{sb_port}"
    sb_proc = start(
        [*RELAYDESK, "sandbox", "serve", "--port", str(sb_port)],
        base_env,
        sandbox + "/_sandbox/keys",
    )
    relay_proc = None
    try:
        keys = httpx.get(f"{sandbox}/_sandbox/keys").json()
        (root / "kb").mkdir(exist_ok=True)
        (root / "kb" / "reset-your-password.md").write_text(ARTICLE)
        (root / "sandbox.pem").write_text(keys["webhook_public_key_pem"])
        run([*RELAYDESK, "kb", "import", str(root / "kb")], env2)
        run([*RELAYDESK, "connect", "freshchat", "--base-url", sandbox, "--api-key", keys["freshchat_api_key"],
             "--webhook-public-key", str(root / "sandbox.pem")], env2)  # fmt: skip
        fc = httpx.get(f"{sandbox}/_sandbox/state").json()["freshchat"]
        ai = next(a["id"] for a in fc["agents"] if a.get("is_bot"))
        group = next(g["id"] for g in fc["groups"] if g["name"] == "Support")
        channel = next(c["id"] for c in fc["channels"] if c["name"] == "Support")
        run(
            [
                *RELAYDESK,
                "configure",
                "freshchat",
                "--ai-agent",
                ai,
                "--group",
                group,
                "--channel",
                channel,
            ],
            env2,
        )
        port = free_port()
        relay = f"http://127.0.0.1:{port}"
        relay_proc = start([*RELAYDESK, "serve", "--port", str(port)], env2, relay + "/healthz")
        httpx.post(
            f"{sandbox}/_sandbox/freshchat/webhook", json={"url": relay + "/webhooks/freshchat"}
        )
        lat = asyncio.run(reply_latency(relay, sandbox, args.replies))
    finally:
        if relay_proc is not None:
            relay_proc.terminate()
            relay_proc.wait(20)
        sb_proc.terminate()
        sb_proc.wait(20)

    load = os.getloadavg()[0]
    per_cpu = tp["count"] / tp["server_cpu"] if tp["server_cpu"] else float("nan")
    lines = [
        f"## Freshchat webhooks ({time.strftime('%Y-%m-%d', time.gmtime())})",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs (`nproc`), "
        f"Python {platform.python_version()}, SQLite; load average at the end {load:.1f}.",
        "Command: `.venv/bin/python bench/bench_webhooks.py "
        f"--webhooks {args.webhooks} --concurrency {args.concurrency} --replies {args.replies}`",
        "",
        "| measure | result | target |",
        "|---|---|---|",
        f"| signed webhooks verified + accepted | {tp['per_second']:.0f}/s ({tp['count']} in "
        f"{tp['seconds']:.1f} s, statuses {tp['statuses']}) | ≥ 500/s |",
        f"| relaydesk's CPU per accepted webhook | {tp['server_cpu'] / tp['count'] * 1000:.2f} ms "
        f"({per_cpu:.0f} webhooks per CPU-second) | — |",
        f"| webhook response time (p50 / p99) | {tp['p50_ms']:.1f} / {tp['p99_ms']:.1f} ms at "
        f"concurrency {args.concurrency} | — |",
        "| agent reply in the sandbox → visitor's WebSocket (median / p99 / max) | "
        f"{lat['median_ms']:.0f} / {lat['p99_ms']:.0f} / {lat['max_ms']:.0f} ms over "
        f"{lat['replies']} replies | p99 ≤ 250 ms |",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
