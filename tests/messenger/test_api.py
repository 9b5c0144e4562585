"""The visitor HTTP API: every endpoint's good path next to its bad inputs."""

from __future__ import annotations

import base64
import json
import time
import warnings

import httpx
import jwt as pyjwt
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from relaydesk.config.actions import do_set_product_setting
from relaydesk.conversations.actions import do_append_message, do_hand_off
from relaydesk.conversations.queries import get_conversation, list_messages
from relaydesk.db.engine import Database
from relaydesk.security.jwt import encode_hs256
from relaydesk.settings import Settings
from tests.messenger.conftest import PAGE, auth, new_visitor, user_jwt
from tests.workflows.responders import ScriptedResponder

SHAPE = {"ok", "error", "errors", "status", "code"}
V1 = "/messenger/v1"


def _error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, object]:
    assert response.status_code == status, response.text
    body: dict[str, object] = response.json()
    assert set(body) == SHAPE and body["ok"] is False
    if code is not None:
        assert body["code"] == code
    return body


async def _start(client: httpx.AsyncClient, token: str) -> dict[str, object]:
    response = await client.post(f"{V1}/conversations", headers=auth(token))
    assert response.status_code == 201, response.text
    data: dict[str, object] = response.json()
    return data


# -- sessions ----------------------------------------------------------------------------------


@pytest.mark.postgres
async def test_anonymous_session(client: httpx.AsyncClient) -> None:
    data = await new_visitor(client)
    assert data["visitor_token"].startswith("vt_")
    assert data["contact"] == {
        "id": data["contact"]["id"],
        "name": None,
        "email": None,
        "verified": False,
    }
    assert data["settings"] == {"prevent_replies_to_closed": True}


@pytest.mark.postgres
async def test_deploy_rules_hide_the_messenger(client: httpx.AsyncClient, db: Database) -> None:
    with db.transaction() as session:
        do_set_product_setting(
            session,
            "deploy_rules",
            {"include": ["https://shop.example.com/*"], "exclude": ["*/checkout*"]},
        )
    await new_visitor(client, page_url="https://shop.example.com/lamps")
    response = await client.post(
        f"{V1}/sessions", json={"page_url": "https://shop.example.com/checkout"}
    )
    _error(response, 403, "not_shown_here")
    response = await client.post(f"{V1}/sessions", json={"page_url": "https://other.example.com/"})
    _error(response, 403, "not_shown_here")


async def test_deploy_rules_also_hold_for_the_page_a_conversation_starts_on(
    client: httpx.AsyncClient, db: Database
) -> None:
    with db.transaction() as session:
        do_set_product_setting(session, "deploy_rules", {"exclude": ["*/checkout*"]})
    visitor = await new_visitor(client, page_url="https://shop.example.com/lamps")
    headers = auth(visitor["visitor_token"])
    refused = await client.post(
        f"{V1}/conversations",
        headers=headers,
        json={"page_url": "https://shop.example.com/checkout"},
    )
    _error(refused, 403, "not_shown_here")
    listed = await client.get(f"{V1}/conversations", headers=headers)
    assert listed.json()["conversations"] == []  # nothing was started
    started = await client.post(
        f"{V1}/conversations", headers=headers, json={"page_url": "https://shop.example.com/lamps"}
    )
    assert started.status_code == 201


@pytest.mark.postgres
async def test_identified_visitor_is_verified_and_follows_across_devices(
    client: httpx.AsyncClient, app_settings: Settings
) -> None:
    token = user_jwt(app_settings, user_id="u-7", email="Ann@Example.com", name="Ann", plan="pro")
    laptop = await new_visitor(client, jwt=token)
    assert laptop["contact"]["verified"] is True
    assert laptop["contact"]["email"] == "ann@example.com"
    assert laptop["contact"]["name"] == "Ann"
    conv = await _start(client, laptop["visitor_token"])
    phone = await new_visitor(client, jwt=user_jwt(app_settings, user_id="u-7"))
    assert phone["contact"]["id"] == laptop["contact"]["id"]
    assert phone["visitor_token"] != laptop["visitor_token"]
    listed = await client.get(f"{V1}/conversations", headers=auth(phone["visitor_token"]))
    assert [c["id"] for c in listed.json()["conversations"]] == [conv["id"]]


def _hs512(claims: dict[str, object], secret: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the key is short for SHA-512: not the point here
        return pyjwt.encode(claims, secret, algorithm="HS512")


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "case",
    [
        "tampered",
        "expired",
        "replayed",
        "alg_none",
        "wrong_secret",
        "no_user_id",
        "hs512",
        "garbage",
    ],
)
async def test_bad_jwts_are_refused(
    client: httpx.AsyncClient, app_settings: Settings, case: str
) -> None:
    secret = app_settings.identity_secret.get_secret_value()  # type: ignore[union-attr]
    good = user_jwt(app_settings, user_id="u-1")
    header, _, signature = good.split(".")
    exp = int(time.time()) + 600
    tokens = {
        "tampered": f"{header}.{_b64({'user_id': 'admin', 'exp': exp})}.{signature}",
        "expired": encode_hs256({"user_id": "u-1", "exp": int(time.time()) - 3600}, secret),
        # a token captured earlier and replayed once it has expired
        "replayed": encode_hs256(
            {"user_id": "u-1", "exp": int(time.time()) - 31, "iat": int(time.time()) - 3631},
            secret,
        ),
        "alg_none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({'user_id': 'u-1', 'exp': exp})}.",
        "wrong_secret": encode_hs256({"user_id": "u-1", "exp": exp}, "x" * 40),
        "no_user_id": encode_hs256({"email": "a@example.com", "exp": exp}, secret),
        "hs512": _hs512({"user_id": "u-1", "exp": exp}, secret),
        "garbage": "not-a-jwt",
    }
    response = await client.post(
        f"{V1}/sessions", json={"page_url": PAGE, "user_jwt": tokens[case]}
    )
    _error(response, 401, "invalid_token")


@pytest.mark.postgres
async def test_rotated_secret_is_accepted(app: FastAPI, app_settings: Settings) -> None:
    new = "new-identity-secret-after-rotation-0123456789"
    old = app_settings.identity_secret.get_secret_value()  # type: ignore[union-attr]
    app.state.messenger.settings = app_settings.model_copy(
        update={"identity_secret": SecretStr(new), "identity_secret_previous": SecretStr(old)}
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for secret in (new, old):
            token = encode_hs256({"user_id": "u-9", "exp": int(time.time()) + 60}, secret)
            data = await new_visitor(client, jwt=token)
            assert data["contact"]["verified"] is True


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", b'{"user_jwt": null}', b'{"page_url": 5}', b'{"page_url": ""}'],
)
async def test_bad_session_bodies(client: httpx.AsyncClient, body: bytes) -> None:
    response = await client.post(
        f"{V1}/sessions", content=body, headers={"Content-Type": "application/json"}
    )
    _error(response, 400)


async def test_session_resumes_with_its_token_and_refuses_unknown_ones(
    client: httpx.AsyncClient,
) -> None:
    first = await new_visitor(client)
    again = await client.post(
        f"{V1}/sessions", json={"page_url": PAGE}, headers=auth(first["visitor_token"])
    )
    assert again.json()["contact"]["id"] == first["contact"]["id"]
    stale = await client.post(f"{V1}/sessions", json={"page_url": PAGE}, headers=auth("vt_nope"))
    _error(stale, 401, "invalid_token")


# -- conversations -----------------------------------------------------------------------------


@pytest.mark.postgres
async def test_start_conversation_runs_the_workflow(client: httpx.AsyncClient) -> None:
    visitor = await new_visitor(client)
    conv = await _start(client, visitor["visitor_token"])
    assert conv["status"] == "open"
    (welcome,) = conv["messages"]  # type: ignore[misc]
    assert welcome["author"] == "ai"
    assert set(welcome) == {"id", "author", "text", "buttons", "sources", "input", "created_at"}


async def test_start_conversation_needs_a_visitor_token(client: httpx.AsyncClient) -> None:
    _error(await client.post(f"{V1}/conversations"), 401, "invalid_token")
    _error(await client.post(f"{V1}/conversations", headers=auth("vt_forged")), 401)
    _error(await client.post(f"{V1}/conversations", headers={"Authorization": "Basic x"}), 401)
    visitor = await new_visitor(client)
    bad = await client.post(
        f"{V1}/conversations",
        content=b"{oops",
        headers={**auth(visitor["visitor_token"]), "Content-Type": "application/json"},
    )
    _error(bad, 400)


@pytest.mark.postgres
async def test_answer_yes_resolves_and_closed_conversation_refuses_replies(
    client: httpx.AsyncClient,
) -> None:
    token = (await new_visitor(client))["visitor_token"]
    conv = await _start(client, token)
    url = f"{V1}/conversations/{conv['id']}/messages"
    step = await client.post(url, json={"text": "How long do refunds take?"}, headers=auth(token))
    assert step.status_code == 200, step.text
    mine, answer, confirm = step.json()["messages"]
    assert (mine["author"], mine["text"]) == ("visitor", "How long do refunds take?")
    assert answer["author"] == "ai"
    assert answer["sources"] == [
        {"slug": "refunds", "title": "Refunds", "url": "https://help.example.com/refunds"}
    ]
    assert confirm["buttons"] == [
        {"id": "yes", "label": "Yes, thanks"},
        {"id": "no", "label": "No"},
    ]
    done = await client.post(url, json={"button_id": "yes"}, headers=auth(token))
    assert done.json()["messages"][0]["text"] == "Yes, thanks"
    got = await client.get(f"{V1}/conversations/{conv['id']}", headers=auth(token))
    assert got.json()["status"] == "resolved"
    _error(
        await client.post(url, json={"text": "one more thing"}, headers=auth(token)),
        409,
        "conversation_closed",
    )


@pytest.mark.postgres
async def test_replies_to_closed_reopen_when_allowed(
    client: httpx.AsyncClient, db: Database
) -> None:
    with db.transaction() as session:
        do_set_product_setting(session, "prevent_replies_when_closed", False)
    token = (await new_visitor(client))["visitor_token"]
    conv = await _start(client, token)
    url = f"{V1}/conversations/{conv['id']}/messages"
    await client.post(url, json={"text": "refunds?"}, headers=auth(token))
    await client.post(url, json={"button_id": "yes"}, headers=auth(token))
    again = await client.post(url, json={"text": "and exchanges?"}, headers=auth(token))
    assert again.status_code == 200
    assert len(again.json()["messages"]) == 3
    got = await client.get(f"{V1}/conversations/{conv['id']}", headers=auth(token))
    assert got.json()["status"] == "open"


@pytest.mark.postgres
async def test_handoff_path_over_http(client: httpx.AsyncClient) -> None:
    token = (await new_visitor(client))["visitor_token"]
    conv = await _start(client, token)
    url = f"{V1}/conversations/{conv['id']}/messages"
    step = await client.post(url, json={"text": "talk to a human"}, headers=auth(token))
    offer = step.json()["messages"][-1]
    assert [b["label"] for b in offer["buttons"]] == ["Create a ticket", "Human agent"]
    live = await client.post(url, json={"button_id": "human"}, headers=auth(token))
    assert live.json()["messages"][-1]["author"] == "system"
    got = await client.get(f"{V1}/conversations/{conv['id']}", headers=auth(token))
    assert got.json()["status"] == "with_agent"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"text": "x" * 4001}, "message_too_long"),
        ({"button_id": "teleport"}, "unknown_button"),
        ({"text": "hi", "button_id": "yes"}, "invalid_input"),
        ({}, "invalid_input"),
        ({"text": "   "}, "invalid_input"),
        ({"text": "hi", "extra": 1}, "invalid_input"),
        ({"text": 5}, "invalid_input"),
    ],
)
async def test_bad_messages_are_refused(
    client: httpx.AsyncClient, body: dict[str, object], code: str
) -> None:
    token = (await new_visitor(client))["visitor_token"]
    conv = await _start(client, token)
    response = await client.post(
        f"{V1}/conversations/{conv['id']}/messages", json=body, headers=auth(token)
    )
    _error(response, 400, code)


async def test_malformed_json_message_is_a_400(client: httpx.AsyncClient) -> None:
    token = (await new_visitor(client))["visitor_token"]
    conv = await _start(client, token)
    response = await client.post(
        f"{V1}/conversations/{conv['id']}/messages",
        content=b'{"text": "unterminated',
        headers={**auth(token), "Content-Type": "application/json"},
    )
    _error(response, 400, "invalid_input")


async def test_text_of_exactly_4000_characters_is_accepted(client: httpx.AsyncClient) -> None:
    token = (await new_visitor(client))["visitor_token"]
    conv = await _start(client, token)
    response = await client.post(
        f"{V1}/conversations/{conv['id']}/messages", json={"text": "a" * 4000}, headers=auth(token)
    )
    assert response.status_code == 200


@pytest.mark.postgres
async def test_another_visitors_conversation_is_not_found(client: httpx.AsyncClient) -> None:
    alice = (await new_visitor(client))["visitor_token"]
    mallory = (await new_visitor(client))["visitor_token"]
    conv = await _start(client, alice)
    _error(await client.get(f"{V1}/conversations/{conv['id']}", headers=auth(mallory)), 404)
    posted = await client.post(
        f"{V1}/conversations/{conv['id']}/messages", json={"text": "hi"}, headers=auth(mallory)
    )
    _error(posted, 404)
    _error(await client.get(f"{V1}/conversations/nope", headers=auth(alice)), 404)
    listed = await client.get(f"{V1}/conversations", headers=auth(mallory))
    assert listed.json() == {"conversations": []}
    _error(await client.get(f"{V1}/conversations"), 401)


@pytest.mark.postgres
async def test_get_conversation_hides_private_notes(
    client: httpx.AsyncClient, db: Database
) -> None:
    token = (await new_visitor(client))["visitor_token"]
    conv = await _start(client, token)
    with db.transaction() as session:
        row = get_conversation(session, str(conv["id"]))
        do_append_message(session, row, author="agent", text="internal: VIP", private=True)
        do_append_message(session, row, author="agent", text="Hi, I'm Sam")
    got = (await client.get(f"{V1}/conversations/{conv['id']}", headers=auth(token))).json()
    texts = [m["text"] for m in got["messages"]]
    assert "Hi, I'm Sam" in texts and "internal: VIP" not in texts


@pytest.mark.postgres
async def test_with_agent_messages_are_stored_and_not_answered(
    client: httpx.AsyncClient, db: Database, responder: ScriptedResponder
) -> None:
    token = (await new_visitor(client))["visitor_token"]
    conv = await _start(client, token)
    with db.transaction() as session:
        do_hand_off(
            session, get_conversation(session, str(conv["id"])), target="freshchat", reason="t"
        )
    step = await client.post(
        f"{V1}/conversations/{conv['id']}/messages",
        json={"text": "are you there?"},
        headers=auth(token),
    )
    assert [m["author"] for m in step.json()["messages"]] == ["visitor"]
    assert responder.calls == []
    with db.session() as session:
        assert list_messages(session, str(conv["id"]))[-1].text == "are you there?"


async def test_messages_are_rate_limited_per_visitor(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.state.messenger.message_limit.limit = 3
    token = (await new_visitor(client))["visitor_token"]
    other = (await new_visitor(client))["visitor_token"]
    conv = await _start(client, token)
    url = f"{V1}/conversations/{conv['id']}/messages"
    for _ in range(3):
        assert (
            await client.post(url, json={"text": "refunds?"}, headers=auth(token))
        ).status_code == 200
    _error(
        await client.post(url, json={"text": "refunds?"}, headers=auth(token)),
        429,
        "too_many_requests",
    )
    other_conv = await _start(client, other)
    ok = await client.post(
        f"{V1}/conversations/{other_conv['id']}/messages", json={"text": "hi"}, headers=auth(other)
    )
    assert ok.status_code == 200


async def test_widget_files_are_served(client: httpx.AsyncClient) -> None:
    js = await client.get("/widget.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    css = await client.get("/widget.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


@pytest.mark.postgres
async def test_require_jwt_refuses_anonymous_visitors(
    client: httpx.AsyncClient, db: Database, app_settings: Settings
) -> None:
    earlier = (await new_visitor(client))["visitor_token"]  # before the setting changed
    ongoing = await _start(client, earlier)
    with db.transaction() as session:
        do_set_product_setting(session, "identity", {"require_jwt": True})
    _error(await client.post(f"{V1}/sessions", json={"page_url": PAGE}), 401, "invalid_token")
    data = await new_visitor(client, jwt=user_jwt(app_settings, user_id="u-5"))
    assert data["contact"]["verified"] is True
    assert (await _start(client, data["visitor_token"]))["status"] == "open"
    # An anonymous token from before neither resumes a session nor starts a conversation...
    resumed = await client.post(f"{V1}/sessions", json={"page_url": PAGE}, headers=auth(earlier))
    _error(resumed, 401, "invalid_token")
    _error(await client.post(f"{V1}/conversations", headers=auth(earlier)), 401, "invalid_token")
    # ...but the conversation it already has runs to its end.
    step = await client.post(
        f"{V1}/conversations/{ongoing['id']}/messages", json={"text": "hi"}, headers=auth(earlier)
    )
    assert step.status_code == 200, step.text


async def test_huge_bodies_are_refused_before_parsing(client: httpx.AsyncClient) -> None:
    token = (await new_visitor(client))["visitor_token"]
    conv = await _start(client, token)
    body = json.dumps({"text": "x" * 100_000}).encode()
    response = await client.post(
        f"{V1}/conversations/{conv['id']}/messages",
        content=body,
        headers={**auth(token), "Content-Type": "application/json"},
    )
    _error(response, 413, "too_large")


async def test_new_anonymous_sessions_are_rate_limited_per_address(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.state.messenger.session_limit.limit = 2
    await new_visitor(client)
    await new_visitor(client)
    _error(await client.post(f"{V1}/sessions", json={"page_url": PAGE}), 429, "too_many_requests")
