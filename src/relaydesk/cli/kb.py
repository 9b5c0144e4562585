"""`relaydesk kb …`: import, list and show knowledge base articles."""

from __future__ import annotations

import fcntl
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from relaydesk.cli.common import DataDirOption, echo_json, fail, load_settings, open_db
from relaydesk.errors import InvalidInput, NotFound
from relaydesk.knowledge import import_articles, load_embedder
from relaydesk.knowledge.importer import scan_article_files
from relaydesk.knowledge.queries import get_article, list_articles

app = typer.Typer(help="The knowledge base: import, list and show articles.", no_args_is_help=True)


@contextmanager
def _import_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data dir's import lock; fail at once if another import holds it.

    Two imports at once (an overlapping cron run) would both add the same new articles, and
    the second would stop halfway on a duplicate slug. The lock is released when the process
    ends, however it ends.
    """
    with (data_dir / "kb-import.lock").open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise fail(
                "another kb import is running on this data dir; run this one when it has finished"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@app.command("import")
def import_(
    path: Path = typer.Argument(..., help="A folder of Markdown/HTML articles (read recursively)."),
    prune: bool = typer.Option(
        False,
        "--prune",
        help="Remove articles whose files are gone (refused when PATH holds none of them).",
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    data_dir: DataDirOption = None,
) -> None:
    """Import a folder of articles; unchanged ones are kept, none removed unless --prune.

    Files that cannot be read (malformed front matter, not UTF-8) are reported on stderr and
    skipped; the command fails only when the path is missing or no article could be read.
    --prune is refused, with nothing changed, for a single file or a folder that holds none
    of the stored articles.
    """
    if not path.exists():
        raise fail(f"no such file or folder: {path}")
    files, skipped = scan_article_files(path)
    if not files:
        for problem_path, reason in skipped:
            typer.secho(f"skipped {problem_path}: {reason}", err=True, fg=typer.colors.YELLOW)
        if skipped:
            raise fail("no article could be read")
        raise fail(f"no article files (*.md, *.html, *.htm) under {path}")
    settings = load_settings(data_dir)
    db = open_db(settings)
    started = time.perf_counter()
    try:
        with _import_lock(settings.data_dir):
            report = import_articles(
                db,
                path,
                load_embedder(settings),
                prune=prune,
                index_cache_dir=settings.data_dir / "cache",
            )
    except InvalidInput as exc:
        raise fail(exc.message) from exc
    finally:
        db.dispose()
    seconds = time.perf_counter() - started
    for problem_path, reason in report.problems:
        typer.secho(f"skipped {problem_path}: {reason}", err=True, fg=typer.colors.YELLOW)
    for warning_path, reason in report.warnings:
        typer.secho(f"warning {warning_path}: {reason}", err=True, fg=typer.colors.YELLOW)
    if report.kept:
        n = len(report.kept)
        shown = ", ".join(report.kept[:10]) + (f" and {n - 10} more" if n > 10 else "")
        typer.secho(
            f"note: {n} stored article{'s have' if n > 1 else ' has'} no file under {path} "
            f"and {'were' if n > 1 else 'was'} kept (--prune removes them): {shown}",
            err=True,
        )
    if json_out:
        echo_json({**report.as_dict(), "seconds": round(seconds, 3)})
    else:
        for slug in report.removed:
            typer.echo(f"removed {slug}")
        typer.echo(
            f"{len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.removed)} removed, "
            f"{len(report.problems)} skipped ({seconds:.1f} s)"
        )
    if report.imported == 0:
        raise fail("no article could be read")


@app.command("list")
def list_(
    json_out: bool = typer.Option(False, "--json", help="Print the articles as JSON."),
    data_dir: DataDirOption = None,
) -> None:
    """List the imported articles: slug, passages and title."""
    db = open_db(load_settings(data_dir))
    with db.session() as session:
        rows = [
            {
                "slug": a.slug,
                "title": a.title,
                "url": a.url,
                "passages": n,
                "source_path": a.source_path,
                "updated_at": a.updated_at.isoformat(),
            }
            for a, n in list_articles(session)
        ]
    db.dispose()
    if json_out:
        echo_json(rows)
        return
    if not rows:
        typer.echo("the knowledge base is empty", err=True)
    for r in rows:
        typer.echo(f"{r['slug']}\t{r['passages']}\t{r['title']}")


@app.command("show")
def show(
    slug: str = typer.Argument(..., help="The article's slug (its file name without extension)."),
    json_out: bool = typer.Option(False, "--json", help="Print the article as JSON."),
    data_dir: DataDirOption = None,
) -> None:
    """Show one article: title, url, source and its passages with their heading paths."""
    db = open_db(load_settings(data_dir))
    try:
        with db.session() as session:
            article = get_article(session, slug)
            passages: list[dict[str, object]] = [
                {"heading_path": json.loads(p.heading_path), "text": p.text}
                for p in article.passages
            ]
            data: dict[str, object] = {
                "slug": article.slug,
                "title": article.title,
                "url": article.url,
                "source_path": article.source_path,
                "updated_at": article.updated_at.isoformat(),
                "passages": passages,
            }
    except NotFound as exc:
        raise fail(exc.message) from exc
    finally:
        db.dispose()
    if json_out:
        echo_json(data)
        return
    typer.echo(f"{data['title']}\nslug: {data['slug']}\nurl: {data['url'] or '-'}")
    typer.echo(f"source: {data['source_path']}")
    for passage in passages:
        path = " > ".join(str(h) for h in passage["heading_path"])  # type: ignore[attr-defined]
        typer.echo(f"\n## {path}\n{passage['text']}")
