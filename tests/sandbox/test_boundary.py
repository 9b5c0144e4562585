"""The sandbox stays apart: only the CLI imports it, and it imports nothing of the product."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "relaydesk"
IMPORT = re.compile(r"^\s*(from|import)\s+relaydesk(\.\w+)?", re.MULTILINE)


def test_only_the_cli_imports_the_sandbox() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "sandbox" not in path.relative_to(SRC).parts[:1]
        and path.relative_to(SRC).parts[:1] != ("cli",)
        and re.search(r"relaydesk\.sandbox|from relaydesk import sandbox", path.read_text())
    ]
    assert offenders == []


def test_the_sandbox_imports_only_itself() -> None:
    for path in (SRC / "sandbox").rglob("*.py"):
        for match in IMPORT.finditer(path.read_text()):
            assert match.group(2) == ".sandbox", (
                f"{path.name} imports relaydesk{match.group(2) or ''}"
            )
