"""docs/sandbox.md names every control endpoint and the webhook header."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.routing import APIRoute

from relaydesk.sandbox import create_sandbox_app
from relaydesk.sandbox.signing import SIGNATURE_HEADER

DOC = (Path(__file__).resolve().parents[2] / "docs" / "sandbox.md").read_text()


def _normal(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{id}", path)


def _documented(path: str, doc: str) -> bool:
    """A path counts as documented when it appears in code spans, in full or after /_sandbox."""
    short = path.removeprefix("/_sandbox")
    return any(form in doc for form in (f" {path}`", f"`{path}`", f" {path}[", f"`{short}`"))


def test_every_control_endpoint_is_documented() -> None:
    documented = _normal(DOC)
    app = create_sandbox_app()
    paths = {
        _normal(route.path)
        for route in app.routes
        if isinstance(route, APIRoute)
        and route.path.startswith("/_sandbox/")
        and not route.path.startswith(("/_sandbox/ui/", "/_sandbox/docs"))
        and route.path != "/_sandbox/"
    }
    missing = sorted(p for p in paths if not _documented(p, documented))
    assert missing == []


def test_signature_header_is_documented() -> None:
    assert f"`{SIGNATURE_HEADER}`" in DOC
