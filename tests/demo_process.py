"""Run `relaydesk demo` as a subprocess on free ports, as a newcomer would (tests only)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

STARTUP_SECONDS = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Demo:
    proc: subprocess.Popen[str]
    url: str
    sandbox_url: str
    output: list[str]

    def read_until(self, needle: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        os.set_blocking(self.proc.stdout.fileno(), False)
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if line:
                self.output.append(line)
                if needle in line:
                    return line
                continue
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"demo never printed {needle!r}; output:\n{''.join(self.output)}")

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGINT)
        out, _ = self.proc.communicate(timeout=60)
        self.output.append(out)
        return "".join(self.output)


@pytest.fixture
def demo_ports() -> tuple[int, int]:
    return free_port(), free_port()


def start_demo(data_dir: Path, port: int, sandbox_port: int) -> Demo:
    env = {**os.environ, "RELAYDESK_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    env.pop("RELAYDESK_DATABASE_URL", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "relaydesk",
            "demo",
            "--port",
            str(port),
            "--sandbox-port",
            str(sandbox_port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    demo = Demo(proc, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{sandbox_port}", [])
    demo.read_until("Press Ctrl-C", STARTUP_SECONDS)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{demo.url}/healthz", timeout=5).status_code == 200:
                return demo
        except httpx.TransportError:
            time.sleep(0.2)
    demo.stop()
    raise AssertionError("the demo did not answer /healthz")


@pytest.fixture
def running_demo(tmp_path: Path, demo_ports: tuple[int, int]) -> Iterator[Demo]:
    demo = start_demo(tmp_path / "data", *demo_ports)
    try:
        yield demo
    finally:
        if demo.proc.poll() is None:
            demo.stop()
