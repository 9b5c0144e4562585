"""Measure article-level retrieval (top-1, top-3) on a set in the ``shared/eval`` format."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from relaydesk.knowledge.retrieval import KnowledgeIndex


@dataclass(frozen=True)
class RetrievalCase:
    """An answer case: the message and every slug that is a correct source, best first."""

    id: str
    message: str
    articles: tuple[str, ...]


@dataclass
class RetrievalScore:
    """Top-1 and top-3 article accuracy over the answer cases, and the misses."""

    cases: int = 0
    top1: int = 0
    top3: int = 0
    misses: list[dict[str, object]] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        """Return the share of cases whose first hit is a correct source."""
        return self.top1 / self.cases if self.cases else 0.0

    @property
    def top3_rate(self) -> float:
        """Return the share of cases with a correct source among the first three hits."""
        return self.top3 / self.cases if self.cases else 0.0

    def as_dict(self) -> dict[str, object]:
        """Return the score as JSON-ready data."""
        return {
            "cases": self.cases,
            "top1": round(self.top1_rate, 4),
            "top3": round(self.top3_rate, 4),
            "misses": self.misses,
        }


def load_answer_cases(cases_path: Path) -> list[RetrievalCase]:
    """Read the ``answer`` cases (those with source articles) of a cases.jsonl file."""
    cases = []
    for line in cases_path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        data = json.loads(line)
        if data.get("expect") == "answer" and data.get("articles"):
            cases.append(
                RetrievalCase(str(data["id"]), str(data["message"]), tuple(data["articles"]))
            )
    return cases


def score_retrieval(index: KnowledgeIndex, cases: list[RetrievalCase]) -> RetrievalScore:
    """Search every case and count a hit when a correct slug is first / among the first 3."""
    score = RetrievalScore()
    vectors = index.embedder.embed([c.message for c in cases]) if cases else None
    for i, case in enumerate(cases):
        assert vectors is not None
        hits = index.search(case.message, k=3, query_vector=vectors[i])
        slugs = [h.slug for h in hits]
        score.cases += 1
        ok1 = bool(slugs) and slugs[0] in case.articles
        ok3 = any(s in case.articles for s in slugs)
        score.top1 += ok1
        score.top3 += ok3
        if not ok1:
            score.misses.append(
                {
                    "id": case.id,
                    "message": case.message,
                    "expected": list(case.articles),
                    "got": slugs,
                }
            )
    return score
