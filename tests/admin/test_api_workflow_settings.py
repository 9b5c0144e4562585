"""Admin API: the workflow (get, put, validate, schema) and the messenger settings."""

from __future__ import annotations

import httpx
import pytest

SHAPE = {"ok", "error", "errors", "status", "code"}
TINY = {"name": "tiny", "start": "c", "blocks": [{"id": "c", "type": "close", "text": "Bye"}]}


@pytest.mark.postgres
async def test_workflow_get_put_roundtrip(api: httpx.AsyncClient) -> None:
    first = await api.get("/admin/api/v1/workflow")
    assert first.status_code == 200
    assert first.json()["id"] == "default" and first.json()["stored"] is False
    put = await api.put("/admin/api/v1/workflow", json=TINY)
    assert put.status_code == 200, put.text
    now = (await api.get("/admin/api/v1/workflow")).json()
    assert now["stored"] is True and now["document"]["name"] == "tiny"


async def test_workflow_put_refuses_invalid_documents_with_block_ids(
    api: httpx.AsyncClient,
) -> None:
    bad = {
        "start": "a",
        "blocks": [
            {"id": "a", "type": "message", "text": "x", "next": "zz"},
            {"id": "b", "type": "nope"},
        ],
    }
    response = await api.put("/admin/api/v1/workflow", json=bad)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == SHAPE and body["code"] == "invalid_workflow"
    assert {(e["block"], e["code"]) for e in body["errors"]} == {
        ("a", "dangling_link"),
        ("b", "unknown_block_type"),
    }
    malformed = await api.put(
        "/admin/api/v1/workflow", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 400


async def test_workflow_validate_and_schema(api: httpx.AsyncClient) -> None:
    ok = await api.post("/admin/api/v1/workflow/validate", json=TINY)
    assert ok.json() == {"ok": True, "problems": []}
    bad = await api.post("/admin/api/v1/workflow/validate", json=[1, 2])
    assert bad.json()["ok"] is False
    schema = await api.get("/admin/api/v1/workflow/schema")
    assert schema.json()["title"] == "relaydesk workflow"
    default = await api.get("/admin/api/v1/workflow/default")
    assert default.json()["document"]["start"] == "welcome"


async def test_workflow_api_needs_a_token(api: httpx.AsyncClient) -> None:
    response = await api.get("/admin/api/v1/workflow", headers={"Authorization": ""})
    assert response.status_code == 401


@pytest.mark.postgres
async def test_messenger_settings_get_and_patch(api: httpx.AsyncClient) -> None:
    got = (await api.get("/admin/api/v1/settings/messenger")).json()
    assert got["deploy_rules"] == {"include": [], "exclude": []}
    assert got["prevent_replies_to_closed"] is True
    assert got["office_hours_status"]["open_now"] is True
    assert got["identity"] == {
        "require_jwt": False,
        "secret_configured": True,
        "previous_secret_configured": False,
    }
    patched = await api.patch(
        "/admin/api/v1/settings/messenger",
        json={
            "deploy_rules": {"include": ["https://staging.example.com/*"]},
            "office_hours": {"timezone": "Europe/Berlin", "weekly": {}},
            "prevent_replies_to_closed": False,
            "identity": {"require_jwt": True},
        },
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["deploy_rules"]["include"] == ["https://staging.example.com/*"]
    assert body["office_hours_status"]["open_now"] is False
    assert body["prevent_replies_to_closed"] is False
    assert body["identity"]["require_jwt"] is True
    check = await api.post(
        "/admin/api/v1/settings/messenger/check-page", json={"page_url": "https://www.example.com/"}
    )
    assert check.json()["shown"] is False
    # office_hours null: always open again
    reset = await api.patch("/admin/api/v1/settings/messenger", json={"office_hours": None})
    assert reset.json()["office_hours"] is None
    assert reset.json()["office_hours_status"]["open_now"] is True


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"deploy_rules": {"include": ["re:("]}},
        {"office_hours": {"timezone": "Nowhere/Land"}},
        {"office_hours": {"weekly": {"mon": [["09:00", "09:00"]]}}},
        {"identity": {"require_jwt": True, "secret": "x"}},
        {"colour": "red"},
        {"prevent_replies_to_closed": "perhaps"},
    ],
)
async def test_messenger_settings_refuse_bad_values(
    api: httpx.AsyncClient, body: dict[str, object]
) -> None:
    before = (await api.get("/admin/api/v1/settings/messenger")).json()
    response = await api.patch("/admin/api/v1/settings/messenger", json=body)
    assert response.status_code == 400, response.text
    assert set(response.json()) == SHAPE
    assert (await api.get("/admin/api/v1/settings/messenger")).json()["deploy_rules"] == before[
        "deploy_rules"
    ]


async def test_check_page_needs_a_page_url(api: httpx.AsyncClient) -> None:
    response = await api.post("/admin/api/v1/settings/messenger/check-page", json={})
    assert response.status_code == 400
