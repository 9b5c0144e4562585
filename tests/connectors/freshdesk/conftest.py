"""Fixtures for the Freshdesk connector: a client on the sandbox (``sandbox`` comes from
``tests/connectors/conftest.py``), faults, SMTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from relaydesk.connectors.freshdesk.client import FreshdeskClient, open_freshdesk_http
from relaydesk.sandbox.server import RunningSandbox
from tests.smtp import Inbox, running_smtp_server


@pytest.fixture
def fd_key(sandbox: RunningSandbox) -> str:
    return sandbox.keys["freshdesk_api_key"]


@pytest.fixture
async def fd(sandbox: RunningSandbox, fd_key: str) -> AsyncIterator[FreshdeskClient]:
    """A FreshdeskClient talking to the sandbox over HTTP."""
    async with FreshdeskClient(open_freshdesk_http(sandbox.url, fd_key)) as client:
        yield client


def set_fault(sandbox: RunningSandbox, mode: str, **extra: object) -> None:
    """Inject a Freshdesk fault through the sandbox's control surface."""
    response = httpx.post(
        f"{sandbox.url}/_sandbox/faults", json={"system": "freshdesk", "mode": mode, **extra}
    )
    response.raise_for_status()


def clear_faults(sandbox: RunningSandbox) -> None:
    httpx.delete(f"{sandbox.url}/_sandbox/faults").raise_for_status()


@pytest.fixture
def smtp_server() -> Iterator[Inbox]:
    """A real SMTP server on loopback that keeps what it receives."""
    with running_smtp_server() as inbox:
        yield inbox
