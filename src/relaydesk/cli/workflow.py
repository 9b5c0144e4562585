"""`relaydesk workflow …`: validate, set and show the workflow (YAML or JSON documents)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from relaydesk.cli.common import DataDirOption, echo_json, fail, load_settings, open_db
from relaydesk.workflows.actions import do_activate_workflow
from relaydesk.workflows.default import default_workflow
from relaydesk.workflows.parsing import DocumentSyntaxError, block_lines, dump_document
from relaydesk.workflows.queries import find_active_workflow
from relaydesk.workflows.schema import WorkflowDocument, parse_text, workflow_json_schema
from relaydesk.workflows.validation import Problem, check_workflow

app = typer.Typer(
    help="The conversation workflow: validate a document, make it active, show it.",
    no_args_is_help=True,
)

FileArgument = typer.Argument(
    ..., exists=False, dir_okay=False, help="A workflow document (.yaml, .yml or .json)."
)


Checked = tuple[WorkflowDocument | None, list[Problem], dict[str, int]]


def _check(path: Path) -> Checked:
    """Read and check the file: the document, its problems, and each block's line.

    A syntax error is a problem with its line and column.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM (Windows editors) is dropped
    except UnicodeDecodeError:
        raise fail(f"cannot read {path}: it is not UTF-8 text") from None
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = parse_text(text, filename=path.name)
    except DocumentSyntaxError as exc:
        kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
        return None, [Problem(None, "syntax_error", f"not valid {kind}: {exc}")], {}
    doc, problems = check_workflow(data)
    return doc, problems, block_lines(text) if problems else {}


def _report(problems: list[Problem], lines: dict[str, int]) -> None:
    for problem in problems:
        at = f"blocks[{problem.position}]" if problem.position is not None else ""
        line = lines.get(at)
        where = f"line {line}: " if line else ""
        typer.secho(f"  {where}{problem}  [{problem.code}]", err=True, fg=typer.colors.RED)


@app.command("validate")
def validate(
    path: Path = FileArgument,
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Check a workflow document; list every problem with its block id (exit 1 if any)."""
    doc, problems, lines = _check(path)
    if json_out:
        echo_json({"ok": not problems, "problems": [p.to_json() for p in problems]})
        if problems or doc is None:
            raise typer.Exit(1)
        return
    if problems or doc is None:
        typer.secho(f"{path}: {len(problems)} problem(s)", err=True, fg=typer.colors.RED)
        _report(problems, lines)
        raise typer.Exit(1)
    typer.echo(
        f"{path}: valid workflow {doc.name!r} ({len(doc.blocks)} blocks, start {doc.start!r})"
    )


@app.command("set")
def set_(path: Path = FileArgument, data_dir: DataDirOption = None) -> None:
    """Validate a workflow document and make it the active workflow for new conversations."""
    doc, problems, lines = _check(path)
    if problems or doc is None:
        typer.secho(
            f"{path}: {len(problems)} problem(s); nothing changed", err=True, fg=typer.colors.RED
        )
        _report(problems, lines)
        raise typer.Exit(1)
    db = open_db(load_settings(data_dir))
    try:
        with db.transaction() as session:
            record = do_activate_workflow(session, doc)
            record_id = record.id
    finally:
        db.dispose()
    typer.echo(
        f"workflow {doc.name!r} is active (id {record_id}); running conversations keep theirs"
    )


@app.command("show")
def show(
    json_out: bool = typer.Option(False, "--json", help="Print JSON instead of YAML."),
    data_dir: DataDirOption = None,
) -> None:
    """Print the active workflow (the built-in default when none was set)."""
    db = open_db(load_settings(data_dir))
    try:
        with db.session() as session:
            record = find_active_workflow(session)
            document = record.document if record else default_workflow().to_json()
            meta = {"id": record.id if record else "default", "name": document.get("name")}
    finally:
        db.dispose()
    if json_out:
        echo_json({**meta, "document": document})
        return
    typer.echo(f"# active workflow: {meta['name']} (id {meta['id']})")
    typer.echo(dump_document(document).rstrip())


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of workflow documents."""
    typer.echo(json.dumps(workflow_json_schema(), indent=2, sort_keys=True))
