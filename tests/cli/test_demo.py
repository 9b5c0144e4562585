"""`relaydesk demo` as a newcomer runs it: a subprocess on free ports, walked over HTTP and WebSocket.

The story: a question answered with a source → "talk to a human" → "Human agent" → the
conversation appears in the sandbox's Freshchat with the whole transcript → an agent reply
in the sandbox reaches the visitor's WebSocket. Then a second run on the same data dir keeps
the conversation, a busy port gets a clear message, and Ctrl-C stops cleanly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from tests.demo_process import Demo, demo_ports, free_port, running_demo, start_demo

__all__ = ["demo_ports", "running_demo"]  # fixtures

pytestmark = pytest.mark.slow


def post(demo: Demo, path: str, token: str | None = None, **body: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(f"{demo.url}/messenger/v1{path}", json=body, headers=headers, timeout=60)
    assert response.status_code < 300, response.text
    data: dict[str, Any] = response.json()
    return data


def button(messages: list[dict[str, Any]], label: str) -> str:
    for message in messages:
        for b in message["buttons"]:
            if label.lower() in b["label"].lower():
                return str(b["id"])
    raise AssertionError(f"no button {label!r} in {messages}")


def wait_for(predicate: Any, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_demo_walks_the_whole_story(running_demo: Demo, tmp_path: Path) -> None:
    demo = running_demo
    page = httpx.get(f"{demo.url}/", timeout=30)
    assert page.status_code == 200
    assert "widget.js" in page.text
    assert demo.sandbox_url in "".join(demo.output)  # the inbox URL was printed

    session = post(demo, "/sessions", page_url=f"{demo.url}/", user_jwt=None)
    token = session["visitor_token"]
    conversation = post(demo, "/conversations", token)
    cid = conversation["id"]

    answer = post(
        demo, f"/conversations/{cid}/messages", token, text="How long does express delivery take?"
    )
    replies = [m for m in answer["messages"] if m["author"] == "ai" and m["sources"]]
    assert replies, answer
    assert replies[0]["sources"][0]["slug"] == "shipping-times"
    assert "next working day" in replies[0]["text"]

    offer = post(demo, f"/conversations/{cid}/messages", token, text="I want to talk to a human")
    human = button(offer["messages"], "Human agent")
    button(offer["messages"], "Create a ticket")

    with connect(
        f"ws://127.0.0.1:{demo.url.rsplit(':', 1)[1]}/messenger/v1/conversations/{cid}/stream?token={token}"
    ) as ws:
        post(demo, f"/conversations/{cid}/messages", token, button_id=human)

        def sandbox_conversation() -> dict[str, Any] | None:
            state = httpx.get(f"{demo.sandbox_url}/_sandbox/state", timeout=10).json()
            convs = state["freshchat"]["conversations"]
            return convs[0] if convs else None

        fc = wait_for(sandbox_conversation, 60)
        texts = [
            part["text"]["content"]
            for message in fc["messages"]
            for part in message.get("message_parts", [])
            if "text" in part
        ]
        joined = "\n".join(texts)
        order = [
            joined.index("How long does express delivery take?"),
            joined.index("next working day"),
            joined.index("I want to talk to a human"),
        ]
        assert order == sorted(order), joined

        reply = httpx.post(
            f"{demo.sandbox_url}/_sandbox/freshchat/conversations/{fc['conversation_id']}/reply",
            json={"text": "Hi, this is Sam from the support team."},
            timeout=10,
        )
        assert reply.status_code < 300, reply.text
        deadline = time.monotonic() + 60
        while True:
            event = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if event["type"] == "message" and event["message"]["author"] == "agent":
                assert event["message"]["text"] == "Hi, this is Sam from the support team."
                break

    demo.read_until("agent replied", 30)
    output = demo.stop()
    assert "handed off to Freshchat" in output
    assert "Traceback" not in output
    assert output.count("agent replied") == 1
    assert demo.proc.returncode == 0


def test_rerun_keeps_conversations_and_a_busy_port_is_refused(
    tmp_path: Path, demo_ports: tuple[int, int]
) -> None:
    data_dir = tmp_path / "data"
    first = start_demo(data_dir, *demo_ports)
    try:
        session = post(first, "/sessions", page_url=f"{first.url}/", user_jwt=None)
        token = session["visitor_token"]
        cid = post(first, "/conversations", token)["id"]

        busy = subprocess.run(
            [
                sys.executable,
                "-m",
                "relaydesk",
                "demo",
                "--port",
                str(demo_ports[0]),
                "--sandbox-port",
                str(free_port()),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "RELAYDESK_DATA_DIR": str(tmp_path / "other")},
            timeout=120,
        )
        assert busy.returncode != 0
        assert f"port {demo_ports[0]} is already in use" in busy.stderr
        assert "Traceback" not in busy.stderr
    finally:
        first.stop()

    second = start_demo(data_dir, *demo_ports)
    try:
        assert "21 unchanged" in "".join(second.output)
        listed = httpx.get(
            f"{second.url}/messenger/v1/conversations/{cid}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert listed.status_code == 200
        assert listed.json()["id"] == cid
    finally:
        second.stop()
