"""The reference docs cover every setting, CLI command, error code and event."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from relaydesk.docs_gen import cli_commands, error_classes
from relaydesk.settings import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"`RELAYDESK_{name.upper()}`" in (DOCS / "settings.md").read_text()


@pytest.mark.parametrize("command", cli_commands())
def test_every_cli_command_is_documented(command: str) -> None:
    assert f"## `{command}`" in (DOCS / "cli.md").read_text()


@pytest.mark.parametrize("cls", error_classes(), ids=lambda c: c.code)
def test_every_error_code_is_documented(cls: type) -> None:
    assert f"`{cls.code}`" in (DOCS / "errors.md").read_text()  # type: ignore[attr-defined]


def test_every_event_is_documented() -> None:
    try:
        events = importlib.import_module("relaydesk.conversations.events")
    except ModuleNotFoundError:
        pytest.skip("no events module yet")
    names = [
        getattr(obj, "name", None)
        for obj in vars(events).values()
        if isinstance(obj, type) and isinstance(getattr(obj, "name", None), str)
    ]
    assert names, "events module defines no named events"
    text = (DOCS / "events.md").read_text()
    for name in names:
        assert f"`{name}`" in text, f"docs/events.md lacks {name}"
