"""The sandbox app also works in-process through httpx.ASGITransport (no server)."""

from __future__ import annotations

import httpx

from relaydesk.sandbox import SandboxOptions, SandboxState, create_sandbox_app


async def test_asgi_transport_serves_the_same_api() -> None:
    state = SandboxState(SandboxOptions(seed=False))
    app = create_sandbox_app(state)
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {state.keys.freshchat_api_key}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        assert (await client.get("/v2/agents")).status_code == 401
        agents = await client.get("/v2/agents", headers=headers)
        assert agents.json()["agents"] == []
        assert (await client.get("/_sandbox/keys")).json()[
            "freshchat_api_key"
        ] == state.keys.freshchat_api_key
    assert state.calls[-1] == {
        "system": "freshchat",
        "method": "GET",
        "path": "/v2/agents",
        "status": 200,
    }
    app.state.sandbox.deliverer.stop()


def test_each_state_has_its_own_keys() -> None:
    first, second = SandboxState(), SandboxState()
    assert first.keys.freshchat_api_key != second.keys.freshchat_api_key
    assert first.keys.webhook_public_key_pem != second.keys.webhook_public_key_pem
