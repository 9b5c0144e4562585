"""Identity through the HTTP API: site JWTs (HS256 only), rotation, verified attributes, devices."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import func, select

from relaydesk.conversations.queries import get_contact
from relaydesk.db.engine import Database
from relaydesk.db.models.contacts import Contact, VisitorSession
from relaydesk.security.jwt import encode_hs256
from relaydesk.settings import Settings
from relaydesk.workflows.actions import do_activate_workflow
from relaydesk.workflows.schema import parse_text
from relaydesk.workflows.validation import validate_workflow
from tests.messenger.conftest import PAGE, auth, new_visitor, user_jwt

V1 = "/messenger/v1"
SHAPE = {"ok", "error", "errors", "status", "code"}


def _refused(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 401, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == SHAPE and body["ok"] is False
    assert body["code"] == "invalid_token" and body["status"] == 401
    return body


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _counts(db: Database) -> tuple[int, int]:
    with db.session() as session:
        contacts = session.scalar(select(func.count()).select_from(Contact)) or 0
        sessions = session.scalar(select(func.count()).select_from(VisitorSession)) or 0
        return contacts, sessions


def _secret(settings: Settings) -> str:
    assert settings.identity_secret is not None
    return settings.identity_secret.get_secret_value()


def _rs256(claims: dict[str, Any]) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return pyjwt.encode(claims, key, algorithm="RS256")


def _token(case: str, secret: str) -> str:
    exp = int(time.time()) + 600
    good = encode_hs256({"user_id": "u-1", "exp": exp}, secret)
    header, payload, signature = good.split(".")
    if case == "rs256":
        return _rs256({"user_id": "u-1", "exp": exp})
    if case == "header_says_hs384":  # the same signature under a header naming another alg
        return f"{_b64({'alg': 'HS384', 'typ': 'JWT'})}.{payload}.{signature}"
    if case == "header_tampered":  # a header the signature does not cover
        return f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': 'other'})}.{payload}.{signature}"
    if case == "alg_none_signed":  # "none" with a signature attached
        return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.{signature}"
    if case == "alg_none_uppercase":
        return f"{_b64({'alg': 'NONE', 'typ': 'JWT'})}.{payload}."
    if case == "signature_stripped":
        return f"{header}.{payload}."
    if case == "too_long":
        return encode_hs256({"user_id": "u-1", "exp": exp, "bio": "x" * 8200}, secret)
    if case == "payload_tampered_email":
        claims = {"user_id": "u-1", "exp": exp, "email": "boss@example.com"}
        return f"{header}.{_b64(claims)}.{signature}"
    claims: dict[str, Any] = {
        "no_exp": {"user_id": "u-1"},
        "nbf_in_future": {"user_id": "u-1", "exp": exp, "nbf": exp - 60},
        "exp_not_a_number": {"user_id": "u-1", "exp": "tomorrow"},
        "empty_user_id": {"user_id": "", "exp": exp},
        "user_id_is_bool": {"user_id": True, "exp": exp},
        "user_id_is_object": {"user_id": {"id": 1}, "exp": exp},
        "user_id_too_long": {"user_id": "u" * 256, "exp": exp},
        "email_too_long": {"user_id": "u-1", "email": "a" * 310 + "@example.com", "exp": exp},
        "nul_in_user_id": {"user_id": "u-1\x00", "exp": exp},
        "nul_in_attribute": {"user_id": "u-1", "plan": "pro\x00", "exp": exp},
        "surrogate_in_name": {"user_id": "u-1", "name": "Ann\ud800", "exp": exp},
        "too_many_attributes": {"user_id": "u-1", "exp": exp, **{f"a{i}": i for i in range(51)}},
        "long_attribute_name": {"user_id": "u-1", "exp": exp, "k" * 101: "v"},
    }[case]
    return encode_hs256(claims, secret)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "case",
    [
        "rs256",
        "header_says_hs384",
        "header_tampered",
        "alg_none_signed",
        "alg_none_uppercase",
        "signature_stripped",
        "payload_tampered_email",
        "too_long",
        "no_exp",
        "nbf_in_future",
        "exp_not_a_number",
        "empty_user_id",
        "user_id_is_bool",
        "user_id_is_object",
        "user_id_too_long",
        "email_too_long",
        "nul_in_user_id",
        "nul_in_attribute",
        "surrogate_in_name",
        "too_many_attributes",
        "long_attribute_name",
    ],
)
async def test_doubtful_jwts_are_refused_and_store_nothing(
    client: httpx.AsyncClient, app_settings: Settings, db: Database, case: str
) -> None:
    before = _counts(db)
    response = await client.post(
        f"{V1}/sessions", json={"page_url": PAGE, "user_jwt": _token(case, _secret(app_settings))}
    )
    _refused(response)
    assert _counts(db) == before


def _with_secrets(app: FastAPI, settings: Settings, current: str, previous: str | None) -> None:
    app.state.messenger.settings = settings.model_copy(
        update={
            "identity_secret": SecretStr(current),
            "identity_secret_previous": SecretStr(previous) if previous else None,
        }
    )


@pytest.mark.postgres
async def test_rotation_accepts_the_old_secret_only_until_it_is_dropped(
    app: FastAPI, client: httpx.AsyncClient, app_settings: Settings
) -> None:
    old = _secret(app_settings)
    new = "the-new-identity-secret-after-rotation-0123456789"
    signed_old = encode_hs256({"user_id": "u-9", "exp": int(time.time()) + 600}, old)
    signed_new = encode_hs256({"user_id": "u-9", "exp": int(time.time()) + 600}, new)
    # Before the rotation only the old secret works.
    assert (await new_visitor(client, jwt=signed_old))["contact"]["verified"] is True
    _refused(await client.post(f"{V1}/sessions", json={"page_url": PAGE, "user_jwt": signed_new}))
    # During it both do, and both name the same contact.
    _with_secrets(app, app_settings, new, old)
    during_old = await new_visitor(client, jwt=signed_old)
    during_new = await new_visitor(client, jwt=signed_new)
    assert during_old["contact"]["id"] == during_new["contact"]["id"]
    # Once the previous secret is dropped, a token signed with it is refused.
    _with_secrets(app, app_settings, new, None)
    body = _refused(
        await client.post(f"{V1}/sessions", json={"page_url": PAGE, "user_jwt": signed_old})
    )
    assert "bad signature" in str(body["error"])
    assert (await new_visitor(client, jwt=signed_new))["contact"]["id"] == during_new["contact"][
        "id"
    ]


async def test_without_an_identity_secret_every_jwt_is_refused(
    app: FastAPI, client: httpx.AsyncClient, app_settings: Settings
) -> None:
    token = user_jwt(app_settings, user_id="u-1")
    app.state.messenger.settings = app_settings.model_copy(
        update={"identity_secret": None, "identity_secret_previous": None}
    )
    body = _refused(await client.post(f"{V1}/sessions", json={"page_url": PAGE, "user_jwt": token}))
    assert "not configured" in str(body["error"])
    assert (await new_visitor(client))["contact"]["verified"] is False  # anonymous still works


COLLECT = """
version: 1
name: collect
start: email
blocks:
  - {id: email, type: collect, field: email, prompt: "Your email?", next: plan}
  - {id: plan, type: collect, field: attribute, attribute: plan, prompt: "Which plan?", next: bye}
  - {id: bye, type: close, text: "Bye {contact.name}"}
"""


@pytest.mark.postgres
async def test_verified_claims_become_contact_attributes(
    client: httpx.AsyncClient, app_settings: Settings, db: Database
) -> None:
    with db.transaction() as session:
        do_activate_workflow(session, validate_workflow(parse_text(COLLECT)))
    token = user_jwt(
        app_settings,
        user_id=42,
        email=" Ann@Example.com ",
        name="Ann",
        plan="pro",
        attributes={"account_id": "acc-9"},
        iat=int(time.time()),
    )
    ann = await new_visitor(client, jwt=token)
    assert ann["contact"] == {
        "id": ann["contact"]["id"],
        "name": "Ann",
        "email": "ann@example.com",
        "verified": True,
    }
    with db.session() as session:
        stored = get_contact(session, ann["contact"]["id"])
        assert stored.external_id == "42"
        assert stored.verified and stored.email_verified
        assert stored.attributes == {"plan": "pro", "account_id": "acc-9"}
    # What the site vouches for is known: the workflow asks for none of it.
    started = await client.post(f"{V1}/conversations", headers=auth(ann["visitor_token"]))
    assert [m["text"] for m in started.json()["messages"]] == ["Bye Ann"]
    # An anonymous visitor is asked, with an input request in the message shape.
    anon = await new_visitor(client)
    asked = await client.post(f"{V1}/conversations", headers=auth(anon["visitor_token"]))
    (question,) = asked.json()["messages"]
    assert question["text"] == "Your email?"
    assert question["input"] == {"field": "email", "label": "Your email"}
    # A later token updates the verified attributes of the same contact.
    again = await new_visitor(client, jwt=user_jwt(app_settings, user_id="42", plan="enterprise"))
    assert again["contact"]["id"] == ann["contact"]["id"]
    with db.session() as session:
        stored = get_contact(session, ann["contact"]["id"])
        assert stored.attributes == {"plan": "enterprise", "account_id": "acc-9"}
        assert stored.email == "ann@example.com"


@pytest.mark.postgres
async def test_verified_conversations_follow_the_user_on_every_endpoint(
    client: httpx.AsyncClient, app_settings: Settings
) -> None:
    laptop = await new_visitor(client, jwt=user_jwt(app_settings, user_id="u-7"))
    started = await client.post(f"{V1}/conversations", headers=auth(laptop["visitor_token"]))
    conv = started.json()
    # The same user on a phone (a new token from a new JWT): list, read and write.
    phone = await new_visitor(client, jwt=user_jwt(app_settings, user_id="u-7"))
    assert phone["visitor_token"] != laptop["visitor_token"]
    listed = await client.get(f"{V1}/conversations", headers=auth(phone["visitor_token"]))
    assert [c["id"] for c in listed.json()["conversations"]] == [conv["id"]]
    one = await client.get(f"{V1}/conversations/{conv['id']}", headers=auth(phone["visitor_token"]))
    assert one.status_code == 200
    assert [m["id"] for m in one.json()["messages"]] == [m["id"] for m in conv["messages"]]
    posted = await client.post(
        f"{V1}/conversations/{conv['id']}/messages",
        json={"text": "refunds?"},
        headers=auth(phone["visitor_token"]),
    )
    assert posted.status_code == 200, posted.text
    seen = await client.get(
        f"{V1}/conversations/{conv['id']}", headers=auth(laptop["visitor_token"])
    )
    assert "refunds?" in [m["text"] for m in seen.json()["messages"]]
    # Another user, and an anonymous visitor, see nothing of it.
    for other in (
        await new_visitor(client, jwt=user_jwt(app_settings, user_id="u-8")),
        await new_visitor(client),
    ):
        headers = auth(other["visitor_token"])
        listed = await client.get(f"{V1}/conversations", headers=headers)
        assert listed.json() == {"conversations": []}
        for response in (
            await client.get(f"{V1}/conversations/{conv['id']}", headers=headers),
            await client.post(
                f"{V1}/conversations/{conv['id']}/messages", json={"text": "hi"}, headers=headers
            ),
        ):
            assert response.status_code == 404
            assert response.json()["code"] == "conversation_not_found"


@pytest.mark.postgres
async def test_a_verified_token_is_resumed_only_with_its_jwt(
    client: httpx.AsyncClient, app_settings: Settings, db: Database
) -> None:
    jwt = user_jwt(app_settings, user_id="u-3")
    first = await new_visitor(client, jwt=jwt)
    resumed = await client.post(
        f"{V1}/sessions", json={"page_url": PAGE}, headers=auth(first["visitor_token"])
    )
    _refused(resumed)
    with_jwt = await client.post(
        f"{V1}/sessions",
        json={"page_url": PAGE, "user_jwt": jwt},
        headers=auth(first["visitor_token"]),
    )
    assert with_jwt.status_code == 200
    assert with_jwt.json()["contact"]["id"] == first["contact"]["id"]
    # Every page load presents both: the same token comes back, no new session is stored.
    assert with_jwt.json()["visitor_token"] == first["visitor_token"]
    before = _counts(db)
    for _ in range(3):
        again = await client.post(
            f"{V1}/sessions",
            json={"page_url": PAGE, "user_jwt": jwt},
            headers=auth(first["visitor_token"]),
        )
        assert again.json()["visitor_token"] == first["visitor_token"]
    assert _counts(db) == before
    # An unknown bearer next to a valid JWT: the JWT decides, with a new token.
    fresh = await client.post(
        f"{V1}/sessions", json={"page_url": PAGE, "user_jwt": jwt}, headers=auth("vt_unknown")
    )
    assert fresh.status_code == 200
    assert fresh.json()["contact"]["id"] == first["contact"]["id"]
    assert fresh.json()["visitor_token"] not in {first["visitor_token"], "vt_unknown"}


async def test_a_token_for_another_user_wins_over_the_bearer(
    client: httpx.AsyncClient, app_settings: Settings
) -> None:
    # A browser where u-1 was logged in, now logged in as u-2: the JWT decides who this is.
    one = await new_visitor(client, jwt=user_jwt(app_settings, user_id="u-1"))
    two = await client.post(
        f"{V1}/sessions",
        json={"page_url": PAGE, "user_jwt": user_jwt(app_settings, user_id="u-2")},
        headers=auth(one["visitor_token"]),
    )
    assert two.status_code == 200
    assert two.json()["contact"]["id"] != one["contact"]["id"]
    assert two.json()["visitor_token"] != one["visitor_token"]
