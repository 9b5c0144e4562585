"""Bad inputs on every visitor endpoint: each is a 4xx with the canonical JSON error body."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.messenger.conftest import PAGE, auth, new_visitor, running_server

V1 = "/messenger/v1"
SHAPE = {"ok", "error", "errors", "status", "code"}


def _error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == SHAPE and body["ok"] is False and body["status"] == status
    if code is not None:
        assert body["code"] == code, body
    return body


async def _conversation(client: httpx.AsyncClient) -> tuple[str, dict[str, Any]]:
    token = (await new_visitor(client))["visitor_token"]
    response = await client.post(f"{V1}/conversations", headers=auth(token))
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return token, data


@pytest.mark.parametrize("endpoint", ["sessions", "conversations", "messages"])
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml", None]
)
async def test_a_body_that_is_not_json_is_a_400(
    client: httpx.AsyncClient, endpoint: str, content_type: str | None
) -> None:
    token, conv = await _conversation(client)
    path = {
        "sessions": f"{V1}/sessions",
        "conversations": f"{V1}/conversations",
        "messages": f"{V1}/conversations/{conv['id']}/messages",
    }[endpoint]
    headers = auth(token)
    if content_type is not None:
        headers["Content-Type"] = content_type
    body = {
        "text/plain": b'{"page_url": "x", "text": "hi"}',
        "application/x-www-form-urlencoded": b"page_url=x&text=hi",
        "application/xml": b"<text>hi</text>",
        None: b"page_url=x&text=hi",
    }[content_type]
    _error(await client.post(path, content=body, headers=headers), 400, "invalid_input")


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("endpoint", "body"),
    [
        ("sessions", b'{"page_url": "https://shop.example.com/\\u0000"}'),
        ("sessions", b'{"page_url": "https://shop.example.com/\\ud800"}'),
        ("conversations", b'{"language": "en\\u0000"}'),
        ("conversations", b'{"page_url": "https://shop.example.com/\\udfff"}'),
        ("messages", b'{"text": "hello\\u0000world"}'),
        ("messages", b'{"text": "hello \\ud83d"}'),
        ("messages", b'{"button_id": "yes\\u0000"}'),
        ("messages", b'{"button_id": "\\udc00"}'),
        ("messages", b'{"text": "hi"} trailing'),
        ("messages", b'{"text": "hi", "text": 5}'),
        ("messages", b'{"text": ["hi"]}'),
        ("messages", b'{"text": null, "button_id": null}'),
        ("messages", b"\xff\xfe{}"),
    ],
)
async def test_text_that_cannot_be_stored_or_parsed_is_a_400(
    client: httpx.AsyncClient, endpoint: str, body: bytes
) -> None:
    token, conv = await _conversation(client)
    path = {
        "sessions": f"{V1}/sessions",
        "conversations": f"{V1}/conversations",
        "messages": f"{V1}/conversations/{conv['id']}/messages",
    }[endpoint]
    headers = {**auth(token), "Content-Type": "application/json"}
    _error(await client.post(path, content=body, headers=headers), 400, "invalid_input")
    if endpoint == "messages":  # nothing was stored
        got = await client.get(f"{V1}/conversations/{conv['id']}", headers=auth(token))
        assert [m["author"] for m in got.json()["messages"]] == ["ai"]


@pytest.mark.postgres
async def test_a_button_of_an_older_message_is_refused(client: httpx.AsyncClient) -> None:
    token, conv = await _conversation(client)
    url = f"{V1}/conversations/{conv['id']}/messages"
    answered = await client.post(url, json={"text": "refunds?"}, headers=auth(token))
    assert [b["id"] for b in answered.json()["messages"][-1]["buttons"]] == ["yes", "no"]
    offer = await client.post(url, json={"button_id": "no"}, headers=auth(token))
    assert [b["id"] for b in offer.json()["messages"][-1]["buttons"]] == ["ticket", "human"]
    # "Yes" belonged to the question before: it expired when the next one was asked.
    _error(await client.post(url, json={"button_id": "yes"}, headers=auth(token)), 400)
    stale = await client.post(url, json={"button_id": "yes"}, headers=auth(token))
    assert _error(stale, 400)["code"] == "unknown_button"
    # A button pressed twice: the second press finds it gone.
    assert (await client.post(url, json={"button_id": "human"}, headers=auth(token))).is_success
    again = await client.post(url, json={"button_id": "human"}, headers=auth(token))
    _error(again, 400, "unknown_button")
    got = await client.get(f"{V1}/conversations/{conv['id']}", headers=auth(token))
    assert got.json()["status"] == "with_agent"
    assert [m["text"] for m in got.json()["messages"]].count("Human agent") == 1


def _endpoints(conversation_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    return [
        ("GET", f"{V1}/conversations", None),
        ("POST", f"{V1}/conversations", None),
        ("GET", f"{V1}/conversations/{conversation_id}", None),
        ("POST", f"{V1}/conversations/{conversation_id}/messages", {"text": "hi"}),
    ]


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic dnRfeDp5",
        "Token vt_abc",
        "Bearer vt_forged",
        "Bearer " + "vt_" + "x" * 5000,
        "Bearer vt_\x7f",
    ],
)
async def test_a_missing_or_unknown_visitor_token_is_a_401_everywhere(
    client: httpx.AsyncClient, authorization: str | None
) -> None:
    _token, conv = await _conversation(client)
    headers = {} if authorization is None else {"Authorization": authorization}
    for method, path, body in _endpoints(str(conv["id"])):
        response = await client.request(method, path, json=body, headers=headers)
        _error(response, 401, "invalid_token")


@pytest.mark.postgres
@pytest.mark.parametrize(
    "conversation_id",
    ["0" * 32, "x" * 5000, "abc%00def", "%F0%9F%92%A9", "..%2F..%2Fetc", "a b"],
)
async def test_an_unknown_or_odd_conversation_id_is_a_404(
    client: httpx.AsyncClient, conversation_id: str
) -> None:
    token, _conv = await _conversation(client)
    for method, path, body in _endpoints(conversation_id)[2:]:
        response = await client.request(method, path, json=body, headers=auth(token))
        body_404 = _error(response, 404)
        # An id with a slash in it matches no route at all: the router's own 404.
        assert body_404["code"] in {"conversation_not_found", "not_found"}
        assert len(body_404["error"]) < 200  # the id is not echoed back


def test_an_oversized_body_is_refused_before_it_is_read(app: FastAPI) -> None:
    with running_server(app) as base, httpx.Client(base_url=base) as http:
        token = http.post(f"{V1}/sessions", json={"page_url": PAGE}).json()["visitor_token"]
        conv = http.post(f"{V1}/conversations", headers=auth(token)).json()
        url = f"{V1}/conversations/{conv['id']}/messages"
        headers = {**auth(token), "Content-Type": "application/json"}

        def chunked() -> Iterator[bytes]:  # no Content-Length: the server cannot know ahead
            yield b'{"text": "'
            for _ in range(1024):
                yield b"x" * 1024
            yield b'"}'

        _error(http.post(url, content=chunked(), headers=headers), 413, "too_large")
        declared = b'{"text": "' + b"x" * 70_000 + b'"}'
        _error(http.post(url, content=declared, headers=headers), 413, "too_large")
        cross_site = {**headers, "Origin": "https://shop.example.com"}
        session = http.post(f"{V1}/sessions", content=declared, headers=cross_site)
        _error(session, 413, "too_large")
        assert session.headers["access-control-allow-origin"] == "*"  # the widget can read it
        # Just under the limit, the body reaches the route (which refuses the long text).
        under = b'{"text": "' + b"x" * 60_000 + b'"}'
        _error(http.post(url, content=under, headers=headers), 400, "message_too_long")
        ok = http.post(url, json={"text": "refunds?"}, headers=auth(token))
        assert ok.status_code == 200, ok.text
        got = http.get(f"{V1}/conversations/{conv['id']}", headers=auth(token)).json()
        assert [m["author"] for m in got["messages"]] == ["ai", "visitor", "ai", "ai"]


@pytest.mark.postgres
async def test_timestamps_read_the_same_in_every_answer(client: httpx.AsyncClient) -> None:
    token, conv = await _conversation(client)
    listed = (await client.get(f"{V1}/conversations", headers=auth(token))).json()
    one = (await client.get(f"{V1}/conversations/{conv['id']}", headers=auth(token))).json()
    assert conv["created_at"] == one["created_at"] == listed["conversations"][0]["created_at"]
    assert listed["conversations"][0]["last_activity_at"] == one["last_activity_at"]
    assert conv["created_at"].endswith("Z")
    assert conv["messages"][0]["created_at"] == one["messages"][0]["created_at"]


async def test_new_conversations_are_rate_limited_per_visitor(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.state.messenger.conversation_limit.limit = 2
    token, _conv = await _conversation(client)
    assert (await client.post(f"{V1}/conversations", headers=auth(token))).status_code == 201
    _error(await client.post(f"{V1}/conversations", headers=auth(token)), 429, "too_many_requests")
    other, _ = await _conversation(client)  # another visitor has its own count
    assert (await client.post(f"{V1}/conversations", headers=auth(other))).status_code == 201
