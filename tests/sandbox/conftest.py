"""Sandbox fixtures: one real sandbox server per session, reset before each test."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from relaydesk.sandbox import RunningSandbox, start_sandbox
from tests.sandbox.receiver import WebhookReceiver

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium, never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL (replaces pytest-base-url's fixture, which pytest now warns about)."""
    return None


@pytest.fixture(scope="session")
def _sandbox_server() -> Iterator[RunningSandbox]:
    with start_sandbox(webhook_retry_delays=(0.05, 0.1, 0.2), webhook_timeout=2.0) as running:
        yield running


@pytest.fixture
def sandbox(_sandbox_server: RunningSandbox) -> RunningSandbox:
    """A running sandbox, freshly reset (seed data only, no faults, no webhook URL)."""
    _sandbox_server.reset()
    return _sandbox_server


@pytest.fixture
def control(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """An HTTP client for the control surface."""
    with httpx.Client(base_url=sandbox.url, timeout=10) as client:
        yield client


@pytest.fixture
def fc(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """A Freshchat client (bearer token)."""
    headers = {"Authorization": f"Bearer {sandbox.keys.freshchat_api_key}"}
    with httpx.Client(base_url=f"{sandbox.url}/v2", headers=headers, timeout=10) as client:
        yield client


@pytest.fixture
def fd(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """A Freshdesk client (HTTP Basic, key as user, X as password)."""
    token = base64.b64encode(f"{sandbox.keys.freshdesk_api_key}:X".encode()).decode()
    headers = {"Authorization": f"Basic {token}"}
    with httpx.Client(base_url=f"{sandbox.url}/api/v2", headers=headers, timeout=10) as client:
        yield client


@pytest.fixture
def crm(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """A Freshworks CRM client (Token token=…)."""
    headers = {"Authorization": f"Token token={sandbox.keys.crm_api_key}"}
    with httpx.Client(
        base_url=f"{sandbox.url}/crm/sales/api", headers=headers, timeout=10
    ) as client:
        yield client


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    """A real webhook receiver on loopback."""
    hook = WebhookReceiver()
    yield hook
    hook.stop()
