"""Playwright's fixtures, one browser per test module instead of one per session.

pytest-playwright starts the sync API once per session. While it lives it keeps an asyncio
event loop running in the main thread, so every async test collected after the first browser
test fails with "Cannot run the event loop while another loop is running". These overrides
(imported by ``tests/conftest.py``) start Playwright per module and stop it when the module is
done. Browser-test folders still choose the browser with ``browser_type_launch_args`` (Debian's
Chromium, see tests/browser/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserType, Playwright, sync_playwright

__all__ = [
    "base_url",
    "browser",
    "browser_context_args",
    "browser_type",
    "launch_browser",
    "playwright",
]


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Playwright for one module only (pytest-playwright keeps it for the whole session).

    The sync API keeps an event loop running while it lives; async tests that run after it in
    the same session would fail with "Cannot run the event loop while another loop is running".
    """
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser_type(playwright: Playwright, browser_name: str) -> BrowserType:
    """The browser type, for one module."""
    return getattr(playwright, browser_name)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def launch_browser(
    browser_type_launch_args: dict[str, Any], browser_type: BrowserType
) -> Callable[..., Browser]:
    """Launch the browser with the launch args (Debian's Chromium), for one module."""

    def launch(**kwargs: Any) -> Browser:
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser_context_args() -> dict[str, Any]:
    """New contexts get Playwright's defaults (no --device, no base URL)."""
    return {}


@pytest.fixture(scope="module")
def browser(launch_browser: Callable[..., Browser]) -> Iterator[Browser]:
    """One browser per module."""
    launched = launch_browser()
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: tests use full addresses (this replaces pytest-playwright's class-based
    fixture, which pytest now warns about)."""
    return None
