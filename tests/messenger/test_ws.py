"""The WebSocket stream, against a real uvicorn server in a thread."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from relaydesk.conversations.actions import do_append_message
from relaydesk.conversations.queries import get_conversation
from relaydesk.db.engine import Database
from relaydesk.settings import Settings
from tests.messenger.conftest import PAGE, auth, running_server, user_jwt

V1 = "/messenger/v1"


def _visitor(http: httpx.Client) -> str:
    token: str = http.post(f"{V1}/sessions", json={"page_url": PAGE}).json()["visitor_token"]
    return token


def _start(http: httpx.Client, token: str) -> dict[str, Any]:
    response = http.post(f"{V1}/conversations", headers=auth(token))
    assert response.status_code == 201
    data: dict[str, Any] = response.json()
    return data


def _ws_url(base: str, conversation_id: str, token: str, after: str | None = None) -> str:
    url = (
        base.replace("http://", "ws://")
        + f"{V1}/conversations/{conversation_id}/stream?token={token}"
    )
    return url + (f"&after={after}" if after else "")


def _next(ws: ClientConnection, kind: str | None = None) -> dict[str, Any]:
    """Return the next event (of kind, skipping others)."""
    while True:
        event: dict[str, Any] = json.loads(ws.recv(timeout=10))
        if kind is None or event["type"] == kind:
            return event


@pytest.mark.postgres
def test_stream_pushes_messages_from_other_requests(app: FastAPI, db: Database) -> None:
    with running_server(app) as base, httpx.Client(base_url=base) as http:
        token = _visitor(http)
        conv = _start(http, token)
        with connect(_ws_url(base, conv["id"], token)) as ws:
            assert _next(ws) == {"type": "status", "status": "open"}
            step = http.post(
                f"{V1}/conversations/{conv['id']}/messages",
                json={"text": "refunds?"},
                headers=auth(token),
            )
            produced = [m["id"] for m in step.json()["messages"]]
            typing = _next(ws)
            assert typing == {"type": "typing", "author": "ai", "on": True}
            pushed = []
            others = []
            while len(pushed) < len(produced):
                event = _next(ws)
                if event["type"] == "message":
                    assert set(event) == {"type", "message"}
                    pushed.append(event["message"]["id"])
                else:
                    others.append(event)
            assert pushed == produced
            assert others == [{"type": "typing", "author": "ai", "on": False}]
            # An agent reply written by another part of the system (a webhook job) arrives live.
            with db.transaction() as session:
                row = get_conversation(session, conv["id"])
                do_append_message(session, row, author="agent", text="internal", private=True)
                do_append_message(session, row, author="agent", text="Hi, Sam here")
            event = _next(ws, "message")
            assert event["message"]["author"] == "agent"
            assert event["message"]["text"] == "Hi, Sam here"
            # Resolving pushes a status.
            http.post(
                f"{V1}/conversations/{conv['id']}/messages",
                json={"button_id": "yes"},
                headers=auth(token),
            )
            assert _next(ws, "status") == {"type": "status", "status": "resolved"}


@pytest.mark.postgres
def test_resume_after_sends_what_was_missed_once(app: FastAPI) -> None:
    with running_server(app) as base, httpx.Client(base_url=base) as http:
        token = _visitor(http)
        conv = _start(http, token)
        welcome_id = conv["messages"][0]["id"]
        step = http.post(
            f"{V1}/conversations/{conv['id']}/messages",
            json={"text": "refunds?"},
            headers=auth(token),
        )
        missed = [m["id"] for m in step.json()["messages"]]
        for after in (welcome_id, "1"):
            with connect(_ws_url(base, conv["id"], token, after=after)) as ws:
                assert _next(ws)["type"] == "status"
                got = [_next(ws, "message")["message"]["id"] for _ in missed]
                assert got == missed
                http.post(
                    f"{V1}/conversations/{conv['id']}/messages",
                    json={"text": "and gift cards?"},
                    headers=auth(token),
                )
                live = _next(ws, "message")["message"]
                assert live["text"] == "and gift cards?" and live["id"] not in got
            # The next round resumes after the welcome (seq 1) again: it must get everything since.
            got_all = http.get(f"{V1}/conversations/{conv['id']}", headers=auth(token)).json()
            missed = [m["id"] for m in got_all["messages"][1:]]


@pytest.mark.postgres
@pytest.mark.parametrize("who", ["bad_token", "no_token", "other_visitor", "no_conversation"])
def test_stream_refuses_strangers_with_policy_violation(app: FastAPI, who: str) -> None:
    with running_server(app) as base, httpx.Client(base_url=base) as http:
        owner = _visitor(http)
        conv = _start(http, owner)
        stranger = _visitor(http)
        url = {
            "bad_token": _ws_url(base, conv["id"], "vt_forged"),
            "no_token": _ws_url(base, conv["id"], "").replace("?token=", ""),
            "other_visitor": _ws_url(base, conv["id"], stranger),
            "no_conversation": _ws_url(base, "0" * 32, owner),
        }[who]
        with connect(url) as ws, pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


@pytest.mark.postgres
@pytest.mark.parametrize("after", ["9" * 40, "9" * 5000, "99999999999999999999", "nope", "¹²"])
def test_an_odd_after_never_breaks_the_stream(app: FastAPI, after: str) -> None:
    with running_server(app) as base, httpx.Client(base_url=base) as http:
        token = _visitor(http)
        conv = _start(http, token)
        with connect(_ws_url(base, conv["id"], token, after=after)) as ws:
            assert _next(ws) == {"type": "status", "status": "open"}
            if not after.isdigit() or not after.isascii():  # an unknown id: everything
                assert _next(ws, "message")["message"]["id"] == conv["messages"][0]["id"]
            http.post(
                f"{V1}/conversations/{conv['id']}/messages",
                json={"text": "refunds?"},
                headers=auth(token),
            )
            assert _next(ws, "message")["message"]["text"] == "refunds?"


@pytest.mark.postgres
def test_a_verified_visitor_streams_from_another_device(
    app: FastAPI, app_settings: Settings
) -> None:
    def session(http: httpx.Client, user_id: str) -> str:
        body = {"page_url": PAGE, "user_jwt": user_jwt(app_settings, user_id=user_id)}
        token: str = http.post(f"{V1}/sessions", json=body).json()["visitor_token"]
        return token

    with running_server(app) as base, httpx.Client(base_url=base) as http:
        laptop = session(http, "u-7")
        conv = _start(http, laptop)
        phone = session(http, "u-7")
        with connect(_ws_url(base, conv["id"], phone)) as ws:
            assert _next(ws) == {"type": "status", "status": "open"}
            url = f"{V1}/conversations/{conv['id']}/messages"
            http.post(url, json={"text": "talk to a human"}, headers=auth(laptop))
            http.post(url, json={"button_id": "human"}, headers=auth(laptop))
            assert _next(ws, "status") == {"type": "status", "status": "with_agent"}
        stranger = session(http, "u-8")
        for url in (_ws_url(base, conv["id"], stranger), _ws_url(base, "x" * 500, phone)):
            with connect(url) as ws, pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
