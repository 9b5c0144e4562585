from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.agent.evaluation import EvalCase, load_cases, run_cases
from relaydesk.agent.reply import AgentReply, Source
from relaydesk.errors import InvalidInput


def reply(action: str, answer: str = "", slugs: tuple[str, ...] = ()) -> AgentReply:
    sources = tuple(Source(s, s, None, 1.0) for s in slugs)
    return AgentReply(action, answer, sources, 0.9, "en", "test")  # type: ignore[arg-type]


def test_scores_every_measure() -> None:
    cases = [
        EvalCase("1", "q1", "answer", ("a", "b"), ("21 days",)),
        EvalCase("2", "q2", "answer", ("a",), ("Settings",)),
        EvalCase("3", "q3", "handoff"),
        EvalCase("4", "q4", "abstain"),
        EvalCase("5", "q5", "abstain"),
    ]
    replies = {
        "q1": reply("answer", "Refunds within 21 DAYS.", ("b", "a")),
        "q2": reply("answer", "no fact here", ("c", "a")),
        "q3": reply("handoff"),
        "q4": reply("answer", "made up", ("a",)),
        "q5": reply("handoff"),
    }
    summary = run_cases(cases, lambda m: replies[m]).summary()
    assert summary["decision_accuracy"] == 0.6
    assert summary["decision_accuracy_by_label"] == {"answer": 1.0, "handoff": 1.0, "abstain": 0.0}
    assert summary["answer_top1"] == 0.5
    assert summary["answer_top3"] == 1.0
    assert summary["facts"] == 0.5
    assert summary["handoff_precision"] == 0.5
    assert summary["handoff_recall"] == 1.0
    assert summary["abstain_wrongly_answered"] == 0.5
    assert [f["id"] for f in summary["failures"]] == ["2", "4", "5"]


def test_a_malformed_case_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text('{"id": "1", "message": "hi", "expect": "answer"}\n{"id": "2"}\n')
    with pytest.raises(InvalidInput, match="cases.jsonl:2"):
        load_cases(path)
