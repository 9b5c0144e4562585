"""Connect check: the credentials are tried against the API and failures are explained."""

from __future__ import annotations

import socket

import pytest

from relaydesk.connectors.freshdesk.connect import FreshdeskCheckFailed, check_credentials
from relaydesk.sandbox.server import RunningSandbox
from tests.connectors.freshdesk.conftest import set_fault


async def test_good_credentials_pass(sandbox: RunningSandbox, fd_key: str) -> None:
    report = await check_credentials(sandbox.url + "/api/v2/", fd_key)
    assert report.base_url == sandbox.url
    summary = report.summary()
    assert summary["groups"] >= 2 and "cf_plan" in summary["custom_fields"]


async def test_wrong_key_says_so(sandbox: RunningSandbox) -> None:
    with pytest.raises(FreshdeskCheckFailed, match=r"refused the API key \(401\)"):
        await check_credentials(sandbox.url, "not-the-key")


async def test_empty_key_is_refused(sandbox: RunningSandbox) -> None:
    with pytest.raises(FreshdeskCheckFailed, match="empty"):
        await check_credentials(sandbox.url, "  ")


async def test_wrong_address_says_so(sandbox: RunningSandbox, fd_key: str) -> None:
    with pytest.raises(FreshdeskCheckFailed, match=r"no Freshdesk API .*\(404\)"):
        await check_credentials(sandbox.url + "/elsewhere", fd_key)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FreshdeskCheckFailed, match="could not reach"):
        await check_credentials(f"http://127.0.0.1:{port}", fd_key)


async def test_rate_limited_check_says_when_to_retry(sandbox: RunningSandbox, fd_key: str) -> None:
    set_fault(sandbox, "429", calls=1)
    with pytest.raises(FreshdeskCheckFailed, match=r"rate limiting .*\(429\)"):
        await check_credentials(sandbox.url, fd_key)
