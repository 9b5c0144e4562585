"""The /_sandbox control surface: keys, state, reset, seeding and its refusals."""

from __future__ import annotations

import httpx

from relaydesk.sandbox import RunningSandbox


def test_keys_have_the_documented_names(control: httpx.Client, sandbox: RunningSandbox) -> None:
    keys = control.get("/_sandbox/keys").json()
    assert set(keys) == {
        "freshchat_api_key",
        "freshdesk_api_key",
        "crm_api_key",
        "webhook_public_key_pem",
    }
    assert keys == sandbox.keys.as_dict()
    assert sandbox.keys["crm_api_key"] == keys["crm_api_key"]


def test_state_has_the_documented_shape(control: httpx.Client) -> None:
    state = control.get("/_sandbox/state").json()
    assert set(state["freshchat"]) >= {"users", "conversations", "agents", "groups", "channels"}
    assert set(state["freshdesk"]) >= {"tickets", "contacts"}
    assert set(state["crm"]) >= {"contacts", "sales_accounts"}
    assert isinstance(state["calls"], list)


def test_conversations_in_state_carry_their_messages(control: httpx.Client) -> None:
    control.post(
        "/_sandbox/freshchat/user-message", json={"channel_id": "Billing", "text": "invoice?"}
    )
    [conv] = control.get("/_sandbox/state").json()["freshchat"]["conversations"]
    assert [m["message_parts"][0]["text"]["content"] for m in conv["messages"]] == ["invoice?"]


def test_reset_forgets_records_calls_and_webhook(control: httpx.Client, fc: httpx.Client) -> None:
    control.post("/_sandbox/freshchat/webhook", json={"url": "http://127.0.0.1:9/hook"})
    fc.post("/users", json={"email": "x@example.com"})
    assert control.post("/_sandbox/reset").json() == {"ok": True}
    state = control.get("/_sandbox/state").json()
    assert state["freshchat"]["users"] == []
    assert state["calls"] == []
    assert state["webhook"]["url"] is None
    assert len(state["freshchat"]["agents"]) == 3


def test_seeding_agents_groups_channels(control: httpx.Client, fc: httpx.Client) -> None:
    group = control.post("/_sandbox/freshchat/groups", json={"name": "Tier 2"})
    assert group.status_code == 201
    agent = control.post(
        "/_sandbox/freshchat/agents", json={"first_name": "Ana", "group_ids": [group.json()["id"]]}
    )
    assert agent.status_code == 201
    channel = control.post("/_sandbox/freshchat/channels", json={"name": "Sales"})
    assert channel.status_code == 201
    assert fc.get(f"/agents/{agent.json()['id']}").json()["groups"] == [group.json()["id"]]
    assert fc.get(f"/groups/{group.json()['id']}").json()["agents"] == [agent.json()["id"]]
    assert "Sales" in {c["name"] for c in fc.get("/channels").json()["channels"]}


def test_control_refusals(control: httpx.Client) -> None:
    assert control.post("/_sandbox/freshchat/webhook", json={"url": "ftp://x"}).status_code == 400
    assert (
        control.post(
            "/_sandbox/freshchat/conversations/nope/reply", json={"text": "hi"}
        ).status_code
        == 404
    )
    assert (
        control.post("/_sandbox/freshchat/user-message", json={"channel_id": "Support"}).status_code
        == 400
    )
    assert (
        control.post(
            "/_sandbox/freshchat/user-message", json={"channel_id": "Nope", "text": "x"}
        ).status_code
        == 404
    )
    assert control.post("/_sandbox/freshchat/agents", json={}).status_code == 400
    assert (
        control.post(
            "/_sandbox/freshchat/agents", json={"first_name": "A", "group_ids": ["nope"]}
        ).status_code
        == 400
    )
    assert control.post("/_sandbox/faults", json={"system": "x", "mode": "down"}).status_code == 400
    assert (
        control.post("/_sandbox/faults", json={"system": "crm", "mode": "broken"}).status_code
        == 400
    )
    assert (
        control.post(
            "/_sandbox/faults", json={"system": "crm", "mode": "down", "calls": 0}
        ).status_code
        == 400
    )
    assert (
        control.post("/_sandbox/ratelimits", json={"system": "crm", "limit": 0}).status_code == 400
    )
    assert control.post("/_sandbox/reset", content=b"[1]").status_code == 400


def test_reply_and_assign_refusals(control: httpx.Client) -> None:
    cid = control.post(
        "/_sandbox/freshchat/user-message", json={"channel_id": "Support", "text": "hi"}
    ).json()["conversation_id"]
    assert (
        control.post(f"/_sandbox/freshchat/conversations/{cid}/reply", json={}).status_code == 400
    )
    assert (
        control.post(
            f"/_sandbox/freshchat/conversations/{cid}/reply", json={"text": "x", "agent_id": "nope"}
        ).status_code
        == 404
    )
    assert (
        control.post(f"/_sandbox/freshchat/conversations/{cid}/assign", json={}).status_code == 400
    )
    assert (
        control.post(
            f"/_sandbox/freshchat/conversations/{cid}/assign", json={"group_id": "nope"}
        ).status_code
        == 404
    )
