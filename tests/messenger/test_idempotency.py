"""``Idempotency-Key`` on ``POST /conversations/{id}/messages``: a retry never runs a step twice."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from relaydesk.conversations.actions import do_append_message, do_delete_contact
from relaydesk.conversations.queries import export_contact, get_contact, get_conversation
from relaydesk.db.engine import Database
from relaydesk.db.models.conversations import Message
from tests.messenger.conftest import (
    PAGE,
    auth,
    new_visitor,
    running_server,
    start_behind_row_lock,
)
from tests.workflows.responders import ScriptedResponder

V1 = "/messenger/v1"
SHAPE = {"ok", "error", "errors", "status", "code"}


def _key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


def _count(db: Database, conversation_id: str, author: str | None = None) -> int:
    with db.session() as session:
        stmt = select(func.count()).select_from(Message)
        stmt = stmt.where(Message.conversation_id == conversation_id)
        if author is not None:
            stmt = stmt.where(Message.author == author)
        return int(session.scalar(stmt) or 0)


def _error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == SHAPE and body["ok"] is False and body["code"] == code, body


async def _conversation(client: httpx.AsyncClient, token: str | None = None) -> tuple[str, str]:
    """Return (visitor token, messages URL) of a new conversation."""
    token = token or (await new_visitor(client))["visitor_token"]
    conv = await client.post(f"{V1}/conversations", headers=auth(token))
    assert conv.status_code == 201, conv.text
    return token, f"{V1}/conversations/{conv.json()['id']}/messages"


def _conversation_id(url: str) -> str:
    return url.split("/")[-2]


@pytest.mark.postgres
async def test_repeat_answers_the_first_step_and_stores_nothing(
    client: httpx.AsyncClient, db: Database, responder: ScriptedResponder
) -> None:
    token, url = await _conversation(client)
    headers = {**auth(token), **_key("k-1")}
    first = await client.post(url, json={"text": "refunds?"}, headers=headers)
    assert first.status_code == 200, first.text
    assert [m["author"] for m in first.json()["messages"]] == ["visitor", "ai", "ai"]
    stored = _count(db, _conversation_id(url))
    again = await client.post(url, json={"text": "refunds?"}, headers=headers)
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert _count(db, _conversation_id(url)) == stored
    assert len(responder.calls) == 1  # the agent was not asked again

    # a button press: the same, and the repeat is not refused although the button is gone
    press = await client.post(url, json={"button_id": "no"}, headers={**auth(token), **_key("b")})
    assert press.status_code == 200, press.text
    stored = _count(db, _conversation_id(url))
    again = await client.post(url, json={"button_id": "no"}, headers={**auth(token), **_key("b")})
    assert again.json() == press.json()
    assert _count(db, _conversation_id(url)) == stored


@pytest.mark.postgres
async def test_repeat_after_later_messages_and_a_resolve_still_answers_the_first_step(
    client: httpx.AsyncClient, db: Database
) -> None:
    token, url = await _conversation(client)
    first = await client.post(url, json={"text": "refunds?"}, headers={**auth(token), **_key("q")})
    yes = await client.post(url, json={"button_id": "yes"}, headers={**auth(token), **_key("y")})
    assert yes.status_code == 200, yes.text
    got = await client.get(f"{V1}/conversations/{_conversation_id(url)}", headers=auth(token))
    assert got.json()["status"] == "resolved"
    # resolved with replies closed: a new message is refused, a repeat of an old one is not
    _error(
        await client.post(url, json={"text": "more"}, headers=auth(token)),
        409,
        "conversation_closed",
    )
    stored = _count(db, _conversation_id(url))
    again = await client.post(url, json={"text": "refunds?"}, headers={**auth(token), **_key("q")})
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    again = await client.post(url, json={"button_id": "yes"}, headers={**auth(token), **_key("y")})
    assert again.json() == yes.json()
    assert _count(db, _conversation_id(url)) == stored


@pytest.mark.postgres
async def test_repeat_with_another_message_is_a_409(
    client: httpx.AsyncClient, db: Database
) -> None:
    token, url = await _conversation(client)
    headers = {**auth(token), **_key("same")}
    assert (await client.post(url, json={"text": "refunds?"}, headers=headers)).status_code == 200
    stored = _count(db, _conversation_id(url))
    for body in ({"text": "refunds!"}, {"text": "Refunds?"}, {"button_id": "no"}):
        _error(await client.post(url, json=body, headers=headers), 409, "idempotency_key_reused")
    # a button's label as text is another message than the button
    _, url2 = await _conversation(client, token)
    await client.post(url2, json={"text": "refunds?"}, headers=auth(token))
    press = await client.post(url2, json={"button_id": "no"}, headers=headers)
    assert press.status_code == 200, press.text
    _error(
        await client.post(url2, json={"text": "No"}, headers=headers), 409, "idempotency_key_reused"
    )
    assert _count(db, _conversation_id(url)) == stored


@pytest.mark.parametrize(
    "value",
    ["", "x" * 101, "tab\tinside", "ключ".encode(), b"caf\xe9"],
    ids=["empty", "101-characters", "tab", "utf-8", "latin-1"],
)
async def test_bad_idempotency_keys_are_a_400(
    client: httpx.AsyncClient, db: Database, value: str | bytes
) -> None:
    token, url = await _conversation(client)
    stored = _count(db, _conversation_id(url))
    response = await client.post(
        url, json={"text": "refunds?"}, headers={**auth(token), "Idempotency-Key": value}
    )
    _error(response, 400, "invalid_input")
    assert _count(db, _conversation_id(url)) == stored


async def test_two_idempotency_key_headers_are_a_400(client: httpx.AsyncClient) -> None:
    token, url = await _conversation(client)
    headers = [*auth(token).items(), ("Idempotency-Key", "a"), ("Idempotency-Key", "b")]
    _error(await client.post(url, json={"text": "hi"}, headers=headers), 400, "invalid_input")


async def test_keys_of_100_printable_characters_are_accepted(client: httpx.AsyncClient) -> None:
    token, url = await _conversation(client)
    for value in ("x" * 100, "a b ~!@#$%^&*()_+{}|:<>?`-=[]\\;',./\"", "1"):
        response = await client.post(
            url, json={"text": "refunds?"}, headers={**auth(token), **_key(value)}
        )
        assert response.status_code == 200, (value, response.text)


@pytest.mark.postgres
async def test_keys_are_scoped_to_the_conversation(
    client: httpx.AsyncClient, db: Database, responder: ScriptedResponder
) -> None:
    token, url = await _conversation(client)
    _, other = await _conversation(client, token)
    stranger_token = (await new_visitor(client))["visitor_token"]
    _, stranger = await _conversation(client, stranger_token)  # another visitor's
    answers = []
    for where, who in ((url, token), (other, token), (stranger, stranger_token)):
        response = await client.post(
            where, json={"text": "refunds?"}, headers={**auth(who), **_key("k")}
        )
        assert response.status_code == 200, response.text
        answers.append(response.json()["messages"])
        assert _count(db, _conversation_id(where), "visitor") == 1
    ids = [m["id"] for messages in answers for m in messages]
    assert len(ids) == len(set(ids)) == 9
    assert len(responder.calls) == 3
    # another visitor cannot read a step by repeating its key: the conversation is not theirs
    _error(
        await client.post(
            url, json={"text": "refunds?"}, headers={**auth(stranger_token), **_key("k")}
        ),
        404,
        "conversation_not_found",
    )


@pytest.mark.postgres
async def test_without_a_key_a_repeat_is_a_new_message(
    client: httpx.AsyncClient, db: Database
) -> None:
    token, url = await _conversation(client)
    for _ in range(2):
        assert (
            await client.post(url, json={"text": "refunds?"}, headers=auth(token))
        ).status_code == 200
    assert _count(db, _conversation_id(url), "visitor") == 2


@pytest.mark.postgres
async def test_a_refused_request_does_not_use_up_its_key(
    client: httpx.AsyncClient, db: Database
) -> None:
    token, url = await _conversation(client)
    headers = {**auth(token), **_key("k")}
    _error(await client.post(url, json={"button_id": "no"}, headers=headers), 400, "unknown_button")
    ok = await client.post(url, json={"text": "refunds?"}, headers=headers)
    assert ok.status_code == 200, ok.text
    assert _count(db, _conversation_id(url), "visitor") == 1


@pytest.mark.postgres
async def test_the_key_is_unique_per_conversation_in_the_database(
    client: httpx.AsyncClient, db: Database
) -> None:
    token, url = await _conversation(client)
    _, other = await _conversation(client, token)
    with db.transaction() as session:
        for where in (url, other):  # the same key in two conversations; no key at all twice
            conversation = get_conversation(session, _conversation_id(where))
            do_append_message(session, conversation, author="visitor", text="a", client_key="k")
            do_append_message(session, conversation, author="visitor", text="b")
            do_append_message(session, conversation, author="visitor", text="c")
    with pytest.raises(IntegrityError), db.transaction() as session:
        conversation = get_conversation(session, _conversation_id(url))
        do_append_message(session, conversation, author="visitor", text="a", client_key="k")


@pytest.mark.postgres
async def test_gdpr_export_and_delete_with_keyed_messages(
    client: httpx.AsyncClient, db: Database
) -> None:
    data = await new_visitor(client)
    token, url = await _conversation(client, data["visitor_token"])
    await client.post(url, json={"text": "refunds?"}, headers={**auth(token), **_key("k")})
    with db.session() as session:
        exported = export_contact(session, data["contact"]["id"])
    messages = exported["conversations"][0]["messages"]
    assert [m["text"] for m in messages][-3] == "refunds?"
    assert all("client_key" not in m for m in messages)
    with db.transaction() as session:
        do_delete_contact(session, get_contact(session, data["contact"]["id"]))
    assert _count(db, _conversation_id(url)) == 0


# -- two requests with one key at the same moment, against the real server --------------------


class TogetherResponder(ScriptedResponder):
    """The scripted responder; once ``together`` is set, each answer waits for the other
    request's (no fixed sleep: a request that a loaded machine started late would find the
    first one's key already stored, and never ask the agent)."""

    together: threading.Barrier | None = None

    def respond(self, message: str, *, history: Sequence[tuple[str, str]] = ()) -> Any:
        if self.together is not None:
            self.together.wait(timeout=30)
        return super().respond(message, history=history)


@pytest.mark.postgres
@pytest.mark.parametrize("body", [{"text": "refunds?"}, {"button_id": "no"}])
def test_two_requests_with_one_key_at_once_store_once(
    app: FastAPI, db: Database, body: dict[str, Any]
) -> None:
    # An agent that answers both requests together: both ask it, so both reach the storing
    # transaction, where the second one must find the first one's key.
    slow = TogetherResponder()
    app.state.messenger.engine.responder = slow
    with running_server(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        token = http.post(f"{V1}/sessions", json={"page_url": PAGE}).json()["visitor_token"]
        conv = http.post(f"{V1}/conversations", headers=auth(token)).json()
        url = f"{V1}/conversations/{conv['id']}/messages"
        if "button_id" in body:
            http.post(url, json={"text": "refunds?"}, headers=auth(token))
        slow.calls.clear()
        slow.together = threading.Barrier(2)
        before = _count(db, conv["id"])
        answers: list[httpx.Response] = []
        start = threading.Barrier(2)

        def send() -> None:
            with httpx.Client(base_url=base, timeout=30) as own:
                start.wait()
                answers.append(own.post(url, json=body, headers={**auth(token), **_key("twice")}))

        threads = [threading.Thread(target=send) for _ in range(2)]
        if db.is_sqlite:
            for thread in threads:
                thread.start()
        else:
            start_behind_row_lock(db, conv["id"], threads)
        for thread in threads:
            thread.join(30)
        assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
        assert answers[0].json() == answers[1].json()
        assert len(slow.calls) == (2 if "text" in body else 0)
        step = answers[0].json()["messages"]
        assert _count(db, conv["id"]) == before + len(step)
        got = http.get(f"{V1}/conversations/{conv['id']}", headers=auth(token)).json()
        assert [m["id"] for m in got["messages"]][-len(step) :] == [m["id"] for m in step]
