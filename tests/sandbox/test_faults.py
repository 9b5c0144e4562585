"""Fault injection and rate limits."""

from __future__ import annotations

import time

import httpx

from relaydesk.sandbox import RunningSandbox


def test_down_for_n_calls_then_back(control: httpx.Client, fc: httpx.Client) -> None:
    assert (
        control.post(
            "/_sandbox/faults", json={"system": "freshchat", "mode": "down", "calls": 2}
        ).status_code
        == 200
    )
    assert [fc.get("/agents").status_code for _ in range(3)] == [503, 503, 200]
    assert fc.get("/agents").status_code == 200


def test_down_for_n_seconds(control: httpx.Client, fc: httpx.Client) -> None:
    # A window wide enough for the first call to land in it on a loaded machine, and its end
    # awaited by polling: a 0.3 s window was over before a slow server took the first call.
    started = time.monotonic()
    control.post("/_sandbox/faults", json={"system": "freshchat", "mode": "down", "seconds": 1.0})
    assert fc.get("/agents").status_code == 503
    deadline = time.monotonic() + 30
    while (status := fc.get("/agents").status_code) == 503:
        assert time.monotonic() < deadline, "still down long after its 1 s window"
        time.sleep(0.05)
    assert status == 200
    assert time.monotonic() - started >= 1.0  # not back before the window ended


def test_429_carries_retry_after(control: httpx.Client, fc: httpx.Client) -> None:
    control.post(
        "/_sandbox/faults",
        json={"system": "freshchat", "mode": "429", "calls": 1, "retry_after": 7},
    )
    response = fc.get("/agents")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert response.json()["code"] == 429


def test_500_for_n_calls_only_hits_that_system(
    control: httpx.Client, fc: httpx.Client, sandbox: RunningSandbox
) -> None:
    control.post("/_sandbox/faults", json={"system": "crm", "mode": "500", "calls": 1})
    assert fc.get("/agents").status_code == 200
    headers = {"Authorization": f"Token token={sandbox.keys.crm_api_key}"}
    assert (
        httpx.get(
            f"{sandbox.url}/crm/sales/api/lookup?q=x&f=email&entities=contact", headers=headers
        ).status_code
        == 500
    )


def test_slow_adds_latency(control: httpx.Client, fc: httpx.Client) -> None:
    control.post(
        "/_sandbox/faults", json={"system": "freshchat", "mode": "slow", "seconds": 0.4, "calls": 1}
    )
    started = time.monotonic()
    assert fc.get("/agents").status_code == 200
    assert time.monotonic() - started >= 0.4
    # The fault was for one call: it is used up (a loaded machine can make any call slow, so
    # the next call's own time proves nothing).
    assert control.get("/_sandbox/faults").json() == []
    assert fc.get("/agents").status_code == 200


def test_delete_clears_faults(control: httpx.Client, fc: httpx.Client) -> None:
    control.post("/_sandbox/faults", json={"system": "freshchat", "mode": "down"})
    assert control.get("/_sandbox/faults").json()[0]["mode"] == "down"
    assert fc.get("/agents").status_code == 503
    assert control.delete("/_sandbox/faults").status_code == 200
    assert fc.get("/agents").status_code == 200


def test_faulted_calls_are_recorded(control: httpx.Client, fc: httpx.Client) -> None:
    control.post("/_sandbox/faults", json={"system": "freshchat", "mode": "down", "calls": 1})
    fc.get("/channels")
    assert control.get("/_sandbox/state").json()["calls"][-1]["status"] == 503


def test_freshchat_rate_limit_answers_429_with_retry_after(
    control: httpx.Client, fc: httpx.Client
) -> None:
    control.post("/_sandbox/ratelimits", json={"system": "freshchat", "limit": 2, "window": 30})
    assert [fc.get("/agents").status_code for _ in range(3)] == [200, 200, 429]
    assert 1 <= int(fc.get("/agents").headers["retry-after"]) <= 30
