from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.smtp import Inbox, running_smtp_server


@pytest.fixture
def smtp_server() -> Iterator[Inbox]:
    """A real SMTP server on loopback that keeps what it receives."""
    with running_smtp_server() as inbox:
        yield inbox
