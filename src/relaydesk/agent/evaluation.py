"""Score the agent on a set in the ``shared/eval`` format (``kb/`` + ``cases.jsonl``).

Measures decision accuracy (overall and per expected label), top-1 and top-3 source
accuracy on the answer cases, the share of answers containing every expected fact
(case-insensitive substring), handoff precision and recall, and the share of abstain cases
that were wrongly answered; and lists the failing cases.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relaydesk.agent.reply import AgentReply
from relaydesk.errors import InvalidInput

LABELS = ("answer", "handoff", "abstain")


@dataclass(frozen=True)
class EvalCase:
    """One message and what a good agent does with it."""

    id: str
    message: str
    expect: str
    articles: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()


def load_cases(path: Path) -> list[EvalCase]:
    """Read cases.jsonl; raises InvalidInput naming the line of a malformed case."""
    cases = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            expect = str(data["expect"])
            if expect not in LABELS:
                raise ValueError(f"expect must be one of {', '.join(LABELS)}")
            cases.append(
                EvalCase(
                    id=str(data["id"]),
                    message=str(data["message"]),
                    expect=expect,
                    articles=tuple(data.get("articles") or ()),
                    facts=tuple(data.get("facts") or ()),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInput(f"{path}:{number}: bad case: {exc}") from exc
    return cases


@dataclass
class EvalResult:
    """The scores of one run, with the failing cases."""

    total: int = 0
    correct: int = 0
    per_label: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in LABELS})
    answer_cases: int = 0
    top1: int = 0
    top3: int = 0
    fact_cases: int = 0
    facts_ok: int = 0
    predicted_handoff: int = 0
    true_handoff: int = 0
    abstain_answered: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)

    def rate(self, part: int, whole: int) -> float:
        """Return part / whole, or 0 when whole is 0."""
        return part / whole if whole else 0.0

    def summary(self) -> dict[str, Any]:
        """Return the scores as JSON-ready data."""
        handoff_expected = self.per_label["handoff"][1]
        abstain_expected = self.per_label["abstain"][1]
        return {
            "cases": self.total,
            "decision_accuracy": round(self.rate(self.correct, self.total), 4),
            "decision_accuracy_by_label": {
                label: round(self.rate(ok, n), 4) for label, (ok, n) in self.per_label.items()
            },
            "answer_top1": round(self.rate(self.top1, self.answer_cases), 4),
            "answer_top3": round(self.rate(self.top3, self.answer_cases), 4),
            "facts": round(self.rate(self.facts_ok, self.fact_cases), 4),
            "handoff_precision": round(self.rate(self.true_handoff, self.predicted_handoff), 4),
            "handoff_recall": round(self.rate(self.true_handoff, handoff_expected), 4),
            "abstain_wrongly_answered": round(
                self.rate(self.abstain_answered, abstain_expected), 4
            ),
            "failures": self.failures,
        }


def score_case(result: EvalResult, case: EvalCase, reply: AgentReply) -> None:
    """Add one case's outcome to result."""
    result.total += 1
    ok = reply.action == case.expect
    result.correct += ok
    result.per_label[case.expect][0] += ok
    result.per_label[case.expect][1] += 1
    if reply.action == "handoff":
        result.predicted_handoff += 1
        result.true_handoff += case.expect == "handoff"
    if case.expect == "abstain" and reply.action == "answer":
        result.abstain_answered += 1
    problems = [] if ok else [f"expected {case.expect}, got {reply.action}"]
    if case.expect == "answer":
        # Sources are scored on every answer case: a wrong decision cites nothing, so it misses.
        result.answer_cases += 1
        slugs = [s.slug for s in reply.sources] if reply.action == "answer" else []
        in_top1 = bool(slugs) and slugs[0] in case.articles
        in_top3 = any(s in case.articles for s in slugs[:3])
        result.top1 += in_top1
        result.top3 += in_top3
        if ok and case.articles and not in_top1:
            problems.append(
                f"first source {slugs[0] if slugs else None}, expected {case.articles[0]}"
            )
        if case.facts:
            result.fact_cases += 1
            text = reply.answer.lower() if reply.action == "answer" else ""
            missing = [f for f in case.facts if f.lower() not in text]
            result.facts_ok += not missing
            if ok and missing:
                problems.append(f"missing facts {missing}")
    if problems:
        result.failures.append(
            {
                "id": case.id,
                "message": case.message,
                "expect": case.expect,
                "action": reply.action,
                "confidence": round(reply.confidence, 3),
                "reason": reply.reason,
                "sources": [s.slug for s in reply.sources],
                "problems": problems,
            }
        )


def run_cases(cases: Sequence[EvalCase], respond: Callable[[str], AgentReply]) -> EvalResult:
    """Run every case through respond and return the scores."""
    result = EvalResult()
    for case in cases:
        score_case(result, case, respond(case.message))
    return result
