"""Contract tests for the sandbox's Freshchat API v2."""

from __future__ import annotations

from typing import Any

import httpx

from relaydesk.sandbox import RunningSandbox


def _channel(fc: httpx.Client, name: str = "Support") -> dict[str, Any]:
    channels = fc.get("/channels").json()["channels"]
    return next(c for c in channels if c["name"] == name)


def _agent(fc: httpx.Client, first_name: str = "AI agent") -> dict[str, Any]:
    return next(a for a in fc.get("/agents").json()["agents"] if a["first_name"] == first_name)


def _user(fc: httpx.Client, **fields: Any) -> dict[str, Any]:
    response = fc.post("/users", json={"email": "jane@example.com", "first_name": "Jane", **fields})
    assert response.status_code == 201
    return response.json()


def _text(content: str) -> list[dict[str, Any]]:
    return [{"text": {"content": content}}]


def _conversation(fc: httpx.Client, user: dict[str, Any], *texts: str) -> dict[str, Any]:
    body = {
        "channel_id": _channel(fc)["id"],
        "users": [{"id": user["id"]}],
        "messages": [
            {"message_parts": _text(t), "actor_type": "user", "actor_id": user["id"]} for t in texts
        ],
    }
    response = fc.post("/conversations", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_wrong_or_missing_bearer_token_is_401(sandbox: RunningSandbox) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": sandbox.keys.freshchat_api_key},
    ):
        response = httpx.get(f"{sandbox.url}/v2/agents", headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == 401
        assert response.json()["status"] == "UNAUTHORIZED"


def test_another_products_key_does_not_work_on_freshchat(sandbox: RunningSandbox) -> None:
    headers = {"Authorization": f"Bearer {sandbox.keys.freshdesk_api_key}"}
    assert httpx.get(f"{sandbox.url}/v2/agents", headers=headers).status_code == 401


def test_account_configuration_gives_app_id(fc: httpx.Client, sandbox: RunningSandbox) -> None:
    body = fc.get("/accounts/configuration").json()
    assert body["app_id"] == sandbox.state.app_id
    assert body["organisation_id"]


def test_seeded_agents_groups_channels(fc: httpx.Client) -> None:
    agents = fc.get("/agents").json()
    assert {a["first_name"] for a in agents["agents"]} >= {"AI agent", "Alex", "Sam"}
    assert agents["pagination"]["total_items"] == 3
    assert [g["name"] for g in fc.get("/groups").json()["groups"]][0] == "Support"
    assert {c["name"] for c in fc.get("/channels").json()["channels"]} == {"Support", "Billing"}
    agent = _agent(fc)
    assert fc.get(f"/agents/{agent['id']}").json()["email"] == agent["email"]


def test_unknown_ids_are_404_with_freshchat_error_body(fc: httpx.Client) -> None:
    response = fc.get("/conversations/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json() == {
        "code": 404,
        "status": "CONVERSATION_NOT_FOUND",
        "message": "conversation not found",
    }
    assert fc.get("/users/nope").json()["status"] == "USER_NOT_FOUND"
    assert fc.get("/agents/nope").status_code == 404
    assert fc.get("/groups/nope").status_code == 404


def test_create_get_and_look_up_user(fc: httpx.Client) -> None:
    user = _user(fc, reference_id="rd-1", properties=[{"name": "plan", "value": "pro"}])
    assert fc.get(f"/users/{user['id']}").json()["email"] == "jane@example.com"
    by_email = fc.get("/users", params={"email": "JANE@example.com"}).json()["users"]
    assert [u["id"] for u in by_email] == [user["id"]]
    by_ref = fc.get("/users", params={"reference_id": "rd-1"}).json()["users"]
    assert [u["id"] for u in by_ref] == [user["id"]]
    assert fc.get("/users", params={"email": "nobody@example.com"}).json()["users"] == []


def test_create_user_with_bad_fields_is_400(fc: httpx.Client) -> None:
    response = fc.post("/users", json={"email": "not-an-email"})
    assert response.status_code == 400
    assert set(response.json()) == {"code", "status", "message"}
    assert fc.post("/users", json={"properties": {"plan": "pro"}}).status_code == 400
    assert (
        fc.post(
            "/users", content=b"{oops", headers={"Content-Type": "application/json"}
        ).status_code
        == 400
    )


def test_update_user_merges_properties_by_name(fc: httpx.Client) -> None:
    user = _user(fc, properties=[{"name": "plan", "value": "pro"}, {"name": "seats", "value": "3"}])
    response = fc.put(
        f"/users/{user['id']}",
        json={"properties": [{"name": "plan", "value": "enterprise"}], "last_name": "Doe"},
    )
    assert response.status_code == 200
    props = {p["name"]: p["value"] for p in response.json()["properties"]}
    assert props == {"plan": "enterprise", "seats": "3"}
    assert response.json()["last_name"] == "Doe"
    assert fc.put("/users/nope", json={}).status_code == 404


def test_delete_user_erases_conversations(fc: httpx.Client) -> None:
    user = _user(fc)
    conv = _conversation(fc, user, "hello")
    response = fc.delete(f"/users/{user['id']}")
    assert response.status_code == 202
    assert response.json()["status"] == "ACCEPTED"
    assert fc.get(f"/users/{user['id']}").status_code == 404
    assert fc.get(f"/conversations/{conv['conversation_id']}").status_code == 404
    assert fc.delete(f"/users/{user['id']}").status_code == 404


def test_create_conversation_with_transcript(fc: httpx.Client) -> None:
    user = _user(fc)
    ai = _agent(fc)
    group = fc.get("/groups").json()["groups"][0]
    body = {
        "channel_id": _channel(fc)["id"],
        "users": [{"id": user["id"]}],
        "assigned_group_id": group["id"],
        "messages": [
            {"message_parts": _text("I need help"), "actor_type": "user", "actor_id": user["id"]},
            {
                "message_parts": _text("Here is an article"),
                "actor_type": "agent",
                "actor_id": ai["id"],
            },
            {
                "message_parts": _text("AI summary"),
                "actor_type": "agent",
                "actor_id": ai["id"],
                "message_type": "private",
            },
        ],
    }
    response = fc.post("/conversations", json=body)
    assert response.status_code == 201
    conv = response.json()
    assert conv["status"] == "new"
    assert conv["assigned_group_id"] == group["id"]
    assert [m["message_type"] for m in conv["messages"]] == ["normal", "normal", "private"]
    fetched = fc.get(f"/conversations/{conv['conversation_id']}").json()
    assert fetched["channel_id"] == body["channel_id"]
    assert (
        fc.get(f"/users/{user['id']}/conversations").json()["conversations"][0]["id"]
        == conv["conversation_id"]
    )


def test_create_conversation_refusals(fc: httpx.Client) -> None:
    user = _user(fc)
    channel_id = _channel(fc)["id"]
    no_channel = fc.post("/conversations", json={"users": [{"id": user["id"]}], "messages": []})
    assert no_channel.status_code == 400
    assert no_channel.json()["code"] == 400
    bad_channel = fc.post(
        "/conversations", json={"channel_id": "nope", "users": [{"id": user["id"]}]}
    )
    assert bad_channel.status_code == 404
    bad_user = fc.post("/conversations", json={"channel_id": channel_id, "users": [{"id": "nope"}]})
    assert bad_user.status_code == 404
    no_parts = fc.post(
        "/conversations",
        json={
            "channel_id": channel_id,
            "users": [{"id": user["id"]}],
            "messages": [{"actor_type": "user", "actor_id": user["id"]}],
        },
    )
    assert no_parts.status_code == 400


def test_post_messages_and_list_newest_first_with_pagination(fc: httpx.Client) -> None:
    user = _user(fc)
    conv = _conversation(fc, user, "one")
    cid = conv["conversation_id"]
    ai = _agent(fc)
    for text in ("two", "three"):
        response = fc.post(
            f"/conversations/{cid}/messages",
            json={
                "message_parts": _text(text),
                "actor_type": "agent",
                "actor_id": ai["id"],
                "message_type": "normal",
            },
        )
        assert response.status_code == 201
        assert response.json()["id"]
    page1 = fc.get(f"/conversations/{cid}/messages", params={"items_per_page": 2}).json()
    assert [m["message_parts"][0]["text"]["content"] for m in page1["messages"]] == ["three", "two"]
    assert page1["pagination"]["total_pages"] == 2
    next_href = page1["links"]["next_page"]["href"]
    page2 = fc.get(next_href.removeprefix("/v2")).json()
    assert [m["message_parts"][0]["text"]["content"] for m in page2["messages"]] == ["one"]
    assert "next_page" not in page2["links"]


def test_post_message_refusals(fc: httpx.Client) -> None:
    user = _user(fc)
    cid = _conversation(fc, user, "one")["conversation_id"]
    stranger = _user(fc, email="other@example.com")
    as_stranger = fc.post(
        f"/conversations/{cid}/messages",
        json={"message_parts": _text("x"), "actor_type": "user", "actor_id": stranger["id"]},
    )
    assert as_stranger.status_code == 400
    unknown_agent = fc.post(
        f"/conversations/{cid}/messages",
        json={"message_parts": _text("x"), "actor_type": "agent", "actor_id": "nope"},
    )
    assert unknown_agent.status_code == 404
    bad_type = fc.post(
        f"/conversations/{cid}/messages",
        json={
            "message_parts": _text("x"),
            "actor_type": "user",
            "actor_id": user["id"],
            "message_type": "secret",
        },
    )
    assert bad_type.status_code == 400
    assert fc.post("/conversations/nope/messages", json={}).status_code == 404


def test_update_conversation_status_and_assignment(fc: httpx.Client) -> None:
    user = _user(fc)
    cid = _conversation(fc, user, "one")["conversation_id"]
    alex = _agent(fc, "Alex")
    group = fc.get("/groups").json()["groups"][0]
    assigned = fc.put(
        f"/conversations/{cid}",
        json={
            "status": "assigned",
            "assigned_agent_id": alex["id"],
            "assigned_group_id": group["id"],
        },
    )
    assert assigned.status_code == 200
    assert assigned.json()["assigned_agent_id"] == alex["id"]
    assert assigned.json()["status"] == "assigned"
    assert (
        fc.put(f"/conversations/{cid}", json={"status": "resolved"}).json()["status"] == "resolved"
    )
    assert (
        fc.put(f"/conversations/{cid}", json={"status": "reopened"}).json()["status"] == "reopened"
    )
    assert fc.put(f"/conversations/{cid}", json={"status": "closed"}).status_code == 400
    assert fc.put(f"/conversations/{cid}", json={"assigned_agent_id": "nope"}).status_code == 404
    assert fc.put("/conversations/nope", json={"status": "resolved"}).status_code == 404


def test_assigned_status_needs_an_agent(fc: httpx.Client) -> None:
    cid = _conversation(fc, _user(fc), "one")["conversation_id"]
    response = fc.put(f"/conversations/{cid}", json={"status": "assigned"})
    assert response.status_code == 400


def test_list_users_pagination(fc: httpx.Client) -> None:
    for n in range(5):
        _user(fc, email=f"u{n}@example.com")
    page = fc.get("/users", params={"items_per_page": 2, "page": 3}).json()
    assert len(page["users"]) == 1
    assert page["pagination"] == {
        "total_items": 5,
        "total_pages": 3,
        "current_page": 3,
        "items_per_page": 2,
    }
    assert "previous_page" in page["links"]
    assert fc.get("/users", params={"page": "zero"}).status_code == 400


def test_calls_are_recorded_with_status(fc: httpx.Client, control: httpx.Client) -> None:
    fc.get("/agents")
    fc.get("/users/nope")
    calls = control.get("/_sandbox/state").json()["calls"]
    assert calls[-2:] == [
        {"system": "freshchat", "method": "GET", "path": "/v2/agents", "status": 200},
        {"system": "freshchat", "method": "GET", "path": "/v2/users/nope", "status": 404},
    ]
