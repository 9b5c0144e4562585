from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relaydesk.cli import app
from tests.agent.conftest import write_kb

DEV_SET = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "dev"

CASES = [
    {
        "id": "1",
        "message": "how long is the reset link valid",
        "expect": "answer",
        "articles": ["reset-your-password"],
        "facts": ["45 minutes"],
    },
    {
        "id": "2",
        "message": "can I get a refund on my yearly subscription",
        "expect": "answer",
        "articles": ["refunds"],
        "facts": ["21 days"],
    },
    {
        "id": "3",
        "message": "I want to speak to a human",
        "expect": "handoff",
        "articles": [],
        "facts": [],
    },
    {
        "id": "4",
        "message": "is there a Jira integration",
        "expect": "abstain",
        "articles": [],
        "facts": [],
    },
]


@pytest.fixture
def eval_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RELAYDESK_EMBEDDING_BACKEND", "minilm")
    monkeypatch.delenv("RELAYDESK_DATABASE_URL", raising=False)
    write_kb(tmp_path)
    (tmp_path / "cases.jsonl").write_text("\n".join(json.dumps(c) for c in CASES) + "\n")
    return tmp_path


def test_eval_json_scores_a_set(eval_set: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(eval_set), "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["cases"] == 4
    assert summary["articles"] == 5
    assert summary["decision_accuracy"] == 1.0, summary["failures"]
    assert summary["answer_top1"] == 1.0
    assert summary["facts"] == 1.0
    assert summary["handoff_recall"] == 1.0
    assert summary["abstain_wrongly_answered"] == 0.0
    assert summary["failures"] == []


def test_eval_prints_a_readable_report(eval_set: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(eval_set)])
    assert result.exit_code == 0, result.stderr
    assert "decision accuracy: 100.0%" in result.stdout
    assert "handoff: precision 100.0%, recall 100.0%" in result.stdout
    assert "failing cases: 0" in result.stdout


def test_eval_lists_failing_cases(eval_set: Path) -> None:
    cases = [*CASES, {"id": "5", "message": "how do I export my notes", "expect": "handoff"}]
    (eval_set / "cases.jsonl").write_text("\n".join(json.dumps(c) for c in cases))
    result = CliRunner().invoke(app, ["eval", str(eval_set)])
    assert result.exit_code == 0
    assert "failing cases: 1" in result.stdout
    assert "5 [handoff -> answer" in result.stdout


def test_eval_refuses_a_folder_without_kb_and_cases(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code != 0
    assert "kb/ folder and a cases.jsonl" in result.stderr


@pytest.mark.slow
@pytest.mark.skipif(not DEV_SET.is_dir(), reason="the shared dev set is not beside the checkout")
def test_dev_set_stays_above_its_floors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression floors on shared/eval/dev (docs/benchmarks.md has the measured figures)."""
    monkeypatch.setenv("RELAYDESK_EMBEDDING_BACKEND", "minilm")
    monkeypatch.delenv("RELAYDESK_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["eval", str(DEV_SET), "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["decision_accuracy"] >= 0.95
    assert summary["handoff_recall"] >= 0.97
    assert summary["handoff_precision"] >= 0.95
    assert summary["answer_top1"] >= 0.91
    assert summary["facts"] >= 0.88
    # 6.9% now (2 of 29), the target is 8%; one case of slack
    assert summary["abstain_wrongly_answered"] <= 0.11


DEMO_KB = Path(__file__).resolve().parents[2] / "src" / "relaydesk" / "demo" / "kb"
SECOND_COMPANY = Path(__file__).resolve().parents[1] / "agent" / "data" / "pebble_cases.jsonl"


@pytest.mark.slow
@pytest.mark.skipif(not DEMO_KB.is_dir(), reason="the demo knowledge base is missing")
def test_a_second_company_stays_above_its_floors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """38 cases written for the demo coffee shop's help center, independently of the dev set."""
    import shutil

    monkeypatch.setenv("RELAYDESK_EMBEDDING_BACKEND", "minilm")
    monkeypatch.delenv("RELAYDESK_DATABASE_URL", raising=False)
    shutil.copytree(DEMO_KB, tmp_path / "kb")
    shutil.copy(SECOND_COMPANY, tmp_path / "cases.jsonl")
    result = CliRunner().invoke(app, ["eval", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["decision_accuracy"] >= 0.9, summary["failures"]
    assert summary["handoff_recall"] >= 0.875
    assert summary["handoff_precision"] >= 0.95
    assert summary["answer_top1"] >= 0.8
    assert summary["abstain_wrongly_answered"] <= 0.2


THIRD_COMPANY = Path(__file__).resolve().parents[1] / "agent" / "data" / "tallybook"


@pytest.mark.slow
def test_a_harder_third_company_stays_above_its_floors(monkeypatch: pytest.MonkeyPatch) -> None:
    """168 cases and 35 articles for an invoicing product, written without reading the agent's
    code (tests/agent/data/tallybook/README.md). Floors one or two cases under the figures
    measured on 2026-11-27 (docs/benchmarks.md): a regression check, not a target."""
    monkeypatch.setenv("RELAYDESK_EMBEDDING_BACKEND", "minilm")
    monkeypatch.delenv("RELAYDESK_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["eval", str(THIRD_COMPANY), "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["cases"] == 168
    assert summary["decision_accuracy"] >= 0.83
    assert summary["handoff_recall"] >= 0.89
    assert summary["handoff_precision"] >= 0.92
    assert summary["answer_top1"] >= 0.67
    assert summary["abstain_wrongly_answered"] <= 0.46
