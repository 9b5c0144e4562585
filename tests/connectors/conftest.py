"""Connector fixtures: a real sandbox server (one per session, reset before each test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from relaydesk.sandbox import RunningSandbox, start_sandbox


@pytest.fixture(scope="session")
def _connector_sandbox() -> Iterator[RunningSandbox]:
    with start_sandbox(webhook_retry_delays=(0.1, 0.2, 0.4, 0.8), webhook_timeout=3.0) as running:
        yield running


@pytest.fixture
def sandbox(_connector_sandbox: RunningSandbox) -> Iterator[RunningSandbox]:
    """The Freshworks sandbox on a real loopback port, freshly seeded."""
    _connector_sandbox.reset()
    yield _connector_sandbox
    _connector_sandbox.sandbox.faults.clear()
    _connector_sandbox.reset()
