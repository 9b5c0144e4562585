"""Split an article's Markdown into passages along its headings.

Each passage keeps its heading path (``("Archive and restore projects", "Archive a project")``)
so an answer can say where it came from. A section longer than ``max_words`` is cut at
paragraph boundaries (then at line boundaries) into several passages with the same path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ATX_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
# A link's target may hold one level of parentheses (".../Refund_(finance)").
_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_EMPHASIS = re.compile(r"(\*\*|__|`+)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")

MAX_WORDS = 160


@dataclass(frozen=True)
class Chunk:
    """One passage of an article: its heading path and its Markdown text."""

    heading_path: tuple[str, ...]
    text: str


def plain_text(markdown: str) -> str:
    """Return markdown with link targets, emphasis markers and table rules removed."""
    lines = []
    for line in markdown.splitlines():
        if _TABLE_RULE.match(line):
            continue
        line = _LINK.sub(r"\1", line)
        line = _EMPHASIS.sub("", line)
        lines.append(line.strip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _split_long(text: str, max_words: int) -> list[str]:
    if len(text.split()) <= max_words:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    units = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(units) == 1:
        units = [p for p in text.splitlines() if p.strip()]
    for unit in units:
        words = len(unit.split())
        if current and count + words > max_words:
            pieces.append("\n\n".join(current))
            current, count = [], 0
        if words > max_words:  # one huge paragraph: cut by words
            tokens = unit.split()
            for start in range(0, len(tokens), max_words):
                pieces.append(" ".join(tokens[start : start + max_words]))
            continue
        current.append(unit)
        count += words
    if current:
        pieces.append("\n\n".join(current))
    return pieces


def chunk_markdown(markdown: str, *, max_words: int = MAX_WORDS) -> list[Chunk]:
    """Return the passages of markdown, in document order; headings with no text are folded."""
    chunks: list[Chunk] = []
    path: list[tuple[int, str]] = []
    buffer: list[str] = []
    in_fence = False

    def flush() -> None:
        text = "\n".join(buffer).strip()
        buffer.clear()
        if not text:
            return
        headings = tuple(h for _, h in path)
        chunks.extend(Chunk(headings, piece) for piece in _split_long(text, max_words))

    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        match = None if in_fence else _ATX_HEADING.match(line)
        if match:
            flush()
            level = len(match.group(1))
            heading = plain_text(match.group(2))
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, heading))
            continue
        buffer.append(line)
    flush()
    if not chunks and path:  # headings only: keep them as one passage
        chunks.append(Chunk(tuple(h for _, h in path), " ".join(h for _, h in path)))
    return chunks
