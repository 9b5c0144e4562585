"""The generative path against a real OpenAI-compatible HTTP server on loopback.

The server is a small FastAPI app under uvicorn in a thread. It behaves like the API, and
its behaviour is chosen per test: a good cited answer, an uncited answer, a citation of a
passage it was never given, NO_ANSWER, a 500, or a reply slower than the client's timeout.

No test here times the agent: on a loaded machine an answer (the first one loads models) can
take seconds. The clients wait generously for the server, and the slow server holds its reply
until the test is done, so a fallback that came back proves the client gave up by itself.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import SecretStr

from relaydesk.agent import Agent
from relaydesk.agent.llm import LLMClient, chat_completions_url
from relaydesk.db.engine import Database
from relaydesk.knowledge import Embedder, import_articles
from relaydesk.settings import Settings
from tests.agent.conftest import write_kb


class FakeOpenAI:
    """State shared with the server: the mode to answer in and the requests it received."""

    def __init__(self) -> None:
        self.mode = "cited"
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()  # lets a held ("slow") reply go
        self.answered = 0


def make_app(state: FakeOpenAI) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> JSONResponse:
        body = await request.json()
        state.requests.append({"body": body, "auth": request.headers.get("authorization")})
        if state.mode == "error":
            return JSONResponse({"error": {"message": "boom"}}, status_code=500)
        if state.mode == "slow":
            await asyncio.to_thread(state.release.wait, 60)
        state.answered += 1
        user = body["messages"][-1]["content"]
        # Quote the first passage's first fact-bearing line, as a grounded model would.
        first = re.search(r"\[1\][^\n]*\n([^\n]+)", user)
        fact = first.group(1).strip() if first else "nothing"
        content = {
            "cited": f"{fact} [1]",
            "slow": f"{fact} [1]",
            "uncited": f"{fact}",
            "bad_citation": f"{fact} [9]",
            "no_answer": "NO_ANSWER",
        }[state.mode]
        return JSONResponse(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
            }
        )

    return app


@pytest.fixture(scope="module")
def llm_server() -> Iterator[tuple[str, FakeOpenAI]]:
    state = FakeOpenAI()
    config = uvicorn.Config(make_app(state), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "LLM test server did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/v1", state
    server.should_exit = True
    thread.join(timeout=10)


def _llm_agent(
    llm_server: tuple[str, FakeOpenAI],
    settings: Settings,
    db: Database,
    minilm: Embedder,
    tmp_path: Any,
    timeout: float,
) -> Iterator[tuple[Agent, FakeOpenAI]]:
    url, state = llm_server
    state.mode = "cited"
    state.requests.clear()
    state.release.clear()
    state.answered = 0
    import_articles(db, write_kb(tmp_path), minilm)
    configured = settings.model_copy(
        update={
            "llm_base_url": url,
            "llm_api_key": SecretStr("sk-test"),
            "llm_model": "tiny",
            "llm_timeout": timeout,
        }
    )
    try:
        yield Agent(configured, db, embedder=minilm), state
    finally:
        state.release.set()  # a held reply goes out, so the server can stop


@pytest.fixture
def llm_agent(
    llm_server: tuple[str, FakeOpenAI],
    settings: Settings,
    db: Database,
    minilm: Embedder,
    tmp_path: Any,
) -> Iterator[tuple[Agent, FakeOpenAI]]:
    """An agent that waits for the test server as long as a loaded machine may need."""
    yield from _llm_agent(llm_server, settings, db, minilm, tmp_path, timeout=30.0)


@pytest.fixture
def impatient_agent(
    llm_server: tuple[str, FakeOpenAI],
    settings: Settings,
    db: Database,
    minilm: Embedder,
    tmp_path: Any,
) -> Iterator[tuple[Agent, FakeOpenAI]]:
    """An agent whose client gives up on the model after 0.5 s."""
    yield from _llm_agent(llm_server, settings, db, minilm, tmp_path, timeout=0.5)


QUESTION = "how long does the password reset link work"


def test_a_cited_answer_is_used_with_its_sources(llm_agent: tuple[Agent, FakeOpenAI]) -> None:
    agent, state = llm_agent
    reply = agent.respond(QUESTION)
    assert reply.action == "answer"
    assert reply.reason == "generated"
    assert reply.answer.endswith("[1]")
    assert reply.sources[0].slug == "reset-your-password"
    request = state.requests[-1]
    assert request["auth"] == "Bearer sk-test"
    assert request["body"]["model"] == "tiny"
    system, user = request["body"]["messages"]
    assert system["role"] == "system" and "cite" in system["content"].lower()
    assert "[1] Reset your password" in user["content"]
    assert QUESTION in user["content"]


@pytest.mark.parametrize("mode", ["uncited", "bad_citation", "no_answer", "error"])
def test_falls_back_to_the_extractive_answer(
    llm_agent: tuple[Agent, FakeOpenAI], mode: str
) -> None:
    agent, state = llm_agent
    state.mode = mode
    reply = agent.respond(QUESTION)
    assert reply.action == "answer"
    assert reply.reason == "answered"
    assert "45 minutes" in reply.answer
    assert reply.sources[0].slug == "reset-your-password"
    assert state.requests, "the endpoint was called"


def test_a_reply_slower_than_the_timeout_falls_back(
    impatient_agent: tuple[Agent, FakeOpenAI],
) -> None:
    agent, state = impatient_agent
    state.mode = "slow"  # the server holds its reply until this test ends
    reply = agent.respond(QUESTION)
    assert state.requests, "the endpoint was called"
    assert state.answered == 0  # the agent answered without waiting for the model's reply
    assert reply.action == "answer"
    assert reply.reason == "answered"
    assert "45 minutes" in reply.answer
    assert reply.sources[0].slug == "reset-your-password"


def test_handoff_and_abstain_never_call_the_model(llm_agent: tuple[Agent, FakeOpenAI]) -> None:
    agent, state = llm_agent
    assert agent.respond("let me talk to a person").action == "handoff"
    assert agent.respond("is there a Jira integration").action == "abstain"
    assert state.requests == []


def test_an_unreachable_endpoint_falls_back() -> None:
    client = LLMClient("http://127.0.0.1:9/v1", model="m", timeout=0.5)
    assert client.complete([{"role": "user", "content": "hi"}]) is None


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("http://h:8080/v1", "http://h:8080/v1/chat/completions"),
        ("http://h:8080/v1/", "http://h:8080/v1/chat/completions"),
        ("http://h:8080", "http://h:8080/v1/chat/completions"),
        ("https://api.example/v1/chat/completions", "https://api.example/v1/chat/completions"),
    ],
)
def test_chat_completions_url(base: str, url: str) -> None:
    assert chat_completions_url(base) == url
