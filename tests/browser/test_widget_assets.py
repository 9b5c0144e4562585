"""The widget's static files: small, self-contained, and never turning data into HTML."""

from __future__ import annotations

import re
from pathlib import Path

import relaydesk

STATIC = Path(relaydesk.__file__).resolve().parent / "messenger" / "static"


def test_widget_is_under_30_kb_unminified() -> None:
    size = sum((STATIC / name).stat().st_size for name in ("widget.js", "widget.css"))
    assert size < 30 * 1024, size


def test_widget_never_writes_html() -> None:
    source = (STATIC / "widget.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source, sink


def test_widget_loads_nothing_but_its_own_origin() -> None:
    source = (STATIC / "widget.js").read_text() + (STATIC / "widget.css").read_text()
    urls = re.findall(r"https?://[^\s\"')]+", source)
    assert set(urls) <= {"http://www.w3.org/2000/svg"}, urls
