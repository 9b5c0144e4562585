"""Compose an extractive, grounded answer from retrieved passages.

The answer is built only from the knowledge base's own sentences: the best passage of the
best article, plus its next-best passages when they also match the question, each
kept whole when short (so numbers, days, menu paths and step lists survive) and otherwise
cut to its blocks that share the most words with the question. Nothing is paraphrased, so
nothing can be invented.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from relaydesk.agent.reply import Source
from relaydesk.knowledge import ArticleHit, PassageHit
from relaydesk.knowledge.bm25 import tokenize
from relaydesk.knowledge.chunking import plain_text

#: Characters of knowledge-base text an answer may quote (about 150 words).
MAX_ANSWER_CHARS = 900
#: Passages of the best article an answer may quote.
MAX_PASSAGES = 3
#: A further passage is added when its score is within this of the best passage's.
PASSAGE_MARGIN = 0.3
#: A question of at most this many index terms quotes its passages in the article's order.
SHORT_QUERY_TERMS = 2
#: At most this many sources are cited.
MAX_SOURCES = 3
#: Other articles are cited when their score is within this of the best article's.
SOURCE_MARGIN = 0.1

_BLOCK_SPLIT = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass(frozen=True)
class ComposedAnswer:
    """An extractive answer: its text, the passages it quotes, and its sources."""

    text: str
    passages: tuple[PassageHit, ...]
    sources: tuple[Source, ...]


def select_sources(hits: Sequence[ArticleHit]) -> tuple[Source, ...]:
    """Return the articles worth citing: the best one, and close runners-up, best first."""
    if not hits:
        return ()
    best = hits[0].score
    chosen = [h for h in hits[:MAX_SOURCES] if h is hits[0] or best - h.score <= SOURCE_MARGIN]
    return tuple(Source(h.slug, h.title, h.url, h.score) for h in chosen)


def select_passages(hit: ArticleHit) -> tuple[PassageHit, ...]:
    """Return the passages of hit to quote: its best, and the next best ones when close."""
    if not hit.passages:
        return ()
    best = hit.passages[0]
    chosen = [best]
    for passage in hit.passages[1:MAX_PASSAGES]:
        if best.score - passage.score <= PASSAGE_MARGIN:
            chosen.append(passage)
    return tuple(chosen)


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in _BLOCK_SPLIT.split(text) if b and b.strip()]


def _trim(text: str, query_terms: set[str], budget: int) -> str:
    """Return text, or its blocks (then sentences) that best match the query, within budget."""
    if len(text) <= budget:
        return text
    blocks = _blocks(text)
    if len(blocks) == 1:
        blocks = [s.strip() for s in _SENTENCE_SPLIT.split(text) if s.strip()]
    scored = []
    for position, block in enumerate(blocks):
        overlap = len(query_terms & set(tokenize(block)))
        has_fact = bool(re.search(r"\d|>|\*\*", block))
        scored.append((overlap + 0.5 * has_fact - 0.01 * position, position, block))
    keep: list[tuple[int, str]] = []
    used = 0
    for _, position, block in sorted(scored, reverse=True):
        if used + len(block) + 1 > budget and keep:
            continue
        keep.append((position, block))
        used += len(block) + 1
    keep.sort()
    if not keep:
        return text[:budget].rsplit(" ", 1)[0] + " …"
    joined = "\n".join(b for _, b in keep)
    if len(joined) > budget:
        joined = joined[:budget].rsplit(" ", 1)[0] + " …"
    return joined


def _label(passage: PassageHit) -> str:
    path = [h for h in passage.heading_path if h]
    # The first heading is usually the article title; the last one names the section.
    return path[-1] if path else passage.title


def compose_answer(query: str, hits: Sequence[ArticleHit]) -> ComposedAnswer | None:
    """Return an extractive answer to query from hits (best first), or None without hits."""
    if not hits or not hits[0].passages:
        return None
    passages = select_passages(hits[0])
    terms = set(tokenize(query))
    if len(terms) <= SHORT_QUERY_TERMS:
        # "recurring?" cannot tell one section from another: quote them as the article
        # orders them (its introduction and first steps first), not by their scores.
        passages = tuple(sorted(passages, key=lambda p: p.position))
    budget = MAX_ANSWER_CHARS
    parts: list[str] = []
    for index, passage in enumerate(passages):
        text = plain_text(passage.text)
        if index and len(text) > budget:
            break  # a further passage is quoted whole or not at all
        excerpt = _trim(text, terms, budget)
        budget -= len(excerpt)
        label = _label(passage)
        parts.append(f"{label}:\n{excerpt}" if len(passages) > 1 else excerpt)
        if budget <= 80:
            break
    return ComposedAnswer("\n\n".join(parts), passages[: len(parts)], select_sources(hits))
