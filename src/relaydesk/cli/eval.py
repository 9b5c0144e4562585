"""`relaydesk eval DIR`: score the agent on an evaluation set (kb/ + cases.jsonl)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import typer

from relaydesk.cli.common import echo_json, fail, load_settings


def eval_(
    directory: Path = typer.Argument(..., help="A set folder holding kb/ and cases.jsonl."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Import DIR/kb into a throw-away data dir, run DIR/cases.jsonl, and print the scores.

    Prints decision accuracy (overall and per label), answer top-1/top-3 source accuracy,
    the share of answers containing their facts, handoff precision and recall, the share of
    abstain cases wrongly answered, and the failing cases.
    """
    kb_dir, cases_path = directory / "kb", directory / "cases.jsonl"
    if not kb_dir.is_dir() or not cases_path.is_file():
        raise fail(f"{directory} must hold a kb/ folder and a cases.jsonl file")
    from relaydesk.agent import Agent
    from relaydesk.agent.evaluation import load_cases, run_cases
    from relaydesk.db.migrate import open_database
    from relaydesk.knowledge import import_articles, load_embedder

    cases = load_cases(cases_path)
    with tempfile.TemporaryDirectory(prefix="relaydesk-eval-") as tmp:
        data_dir = Path(tmp)
        settings = load_settings(data_dir, database_url=f"sqlite:///{data_dir / 'eval.db'}")
        db = open_database(settings)
        try:
            started = time.perf_counter()
            embedder = load_embedder(settings)
            report = import_articles(db, kb_dir, embedder)
            imported = time.perf_counter()
            agent = Agent(settings, db, embedder=embedder)
            result = run_cases(cases, agent.respond)
            finished = time.perf_counter()
        finally:
            db.dispose()
    summary = result.summary()
    summary["articles"] = report.imported
    summary["import_problems"] = [{"path": p, "reason": r} for p, r in report.problems]
    summary["seconds"] = {
        "import": round(imported - started, 2),
        "cases": round(finished - imported, 2),
    }
    if json_out:
        echo_json(summary)
    else:
        typer.echo(format_summary(summary))


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def format_summary(summary: dict[str, Any]) -> str:
    """Return the scores as human-readable text."""
    by_label = summary["decision_accuracy_by_label"]
    lines = [
        f"cases: {summary['cases']} (knowledge base: {summary['articles']} articles)",
        f"decision accuracy: {_pct(summary['decision_accuracy'])} ("
        + ", ".join(f"{label} {_pct(value)}" for label, value in by_label.items())
        + ")",
        f"answer sources: top-1 {_pct(summary['answer_top1'])}, top-3 {_pct(summary['answer_top3'])}",
        f"answers containing their facts: {_pct(summary['facts'])}",
        f"handoff: precision {_pct(summary['handoff_precision'])}, recall {_pct(summary['handoff_recall'])}",
        f"abstain cases wrongly answered: {_pct(summary['abstain_wrongly_answered'])}",
    ]
    failures = summary["failures"]
    lines.append(f"failing cases: {len(failures)}")
    for failure in failures:
        lines.append(
            f"  {failure['id']} [{failure['expect']} -> {failure['action']}"
            f" {failure['confidence']:.2f}] {failure['message'][:90]}"
        )
        for problem in failure["problems"]:
            lines.append(f"      {problem}")
    return "\n".join(lines)
