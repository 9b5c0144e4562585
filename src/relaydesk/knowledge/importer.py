"""Import a folder of articles: parse, chunk, embed only what changed, store, optionally prune."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from relaydesk.db.engine import Database
from relaydesk.errors import InvalidInput
from relaydesk.knowledge.actions import (
    ArticleVectors,
    PassageData,
    do_delete_articles,
    do_save_article,
    do_touch_source,
)
from relaydesk.knowledge.chunking import Chunk, chunk_markdown, plain_text
from relaydesk.knowledge.embeddings import Embedder
from relaydesk.knowledge.parsing import (
    ARTICLE_SUFFIXES,
    ArticleError,
    ParsedArticle,
    parse_article,
    slug_for,
)
from relaydesk.knowledge.queries import Fingerprint, article_fingerprints, body_digest

log = logging.getLogger(__name__)

#: Articles embedded and written per transaction: big enough to batch the model well, small
#: enough that a long import does not hold SQLite's write lock for long.
BATCH_ARTICLES = 64


@dataclass
class ImportReport:
    """What an import did, by slug.

    ``problems`` lists (path, reason) of skipped files; ``warnings`` (path, reason) of what
    was ignored in files that imported (a url that is not an http(s) link); ``kept`` the
    stored articles with no file under the path, left in place because there was no prune.
    """

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def imported(self) -> int:
        """Return the number of articles that were read successfully."""
        return len(self.added) + len(self.updated) + len(self.unchanged)

    def as_dict(self) -> dict[str, object]:
        """Return the report as JSON-ready data."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "kept": self.kept,
            "problems": [{"path": p, "reason": r} for p, r in self.problems],
            "warnings": [{"path": p, "reason": r} for p, r in self.warnings],
        }


def scan_article_files(path: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Return the article files under path (recursively), or path itself if it is one, and
    (path, reason) for the ones left out.

    Hidden files and folders (``.git``, ``.github``) are not read. A symbolic link is
    followed only to a file inside path: a link in a shared articles folder must not publish
    a file from elsewhere on the server (``/etc/passwd``, relaydesk's own secrets) as a help
    article. Links to folders are not followed.
    """
    if path.is_file():
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            return [], [(str(path), "not an article file (.md, .markdown, .html or .htm)")]
        return [path], []
    root = path.resolve()
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for folder, dirnames, filenames in os.walk(path):
        here = Path(folder)
        for name in list(dirnames):
            if name.startswith("."):
                dirnames.remove(name)
            elif (here / name).is_symlink():
                skipped.append((str(here / name), "a symbolic link to a folder is not followed"))
        for name in filenames:
            file = here / name
            if name.startswith(".") or file.suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            if not file.is_symlink() and not file.is_file():  # a FIFO would block the read
                skipped.append((str(file), "not a regular file"))
                continue
            if file.is_symlink():
                target = file.resolve()
                if not target.is_file():
                    skipped.append((str(file), f"broken symbolic link (to {target})"))
                    continue
                if not target.is_relative_to(root):
                    skipped.append(
                        (str(file), f"a symbolic link to a file outside {path} ({target})")
                    )
                    continue
            files.append(file)
    return sorted(files), sorted(skipped)


def find_article_files(path: Path) -> list[Path]:
    """Return the article files under path (recursively), or path itself if it is one."""
    return scan_article_files(path)[0]


def embedding_text(title: str, heading_path: Sequence[str], text: str) -> str:
    """Return what the embedder sees for a passage: title and heading path, then the text."""
    headings = [h for h in heading_path if h and h != title]
    head = " > ".join([title, *headings])
    return f"{head}\n{plain_text(text)}"


def search_text(title: str, heading_path: Sequence[str], text: str) -> str:
    """Return what the lexical index sees for a passage."""
    headings = [h for h in heading_path if h and h != title]
    return "\n".join([title, *headings, plain_text(text)])


def outline_text(title: str, chunks: Sequence[Chunk]) -> str:
    """Return an article's outline: its title, then each distinct heading under it."""
    headings: list[str] = []
    for chunk in chunks:
        for heading in chunk.heading_path:
            if heading and heading != title and heading not in headings:
                headings.append(heading)
    return f"{title}. {'; '.join(headings)}" if headings else title


def _prepare(
    articles: Sequence[ParsedArticle], embedder: Embedder
) -> list[tuple[list[PassageData], ArticleVectors]]:
    """Chunk and embed a batch of articles in one embedder call."""
    chunked: list[list[Chunk]] = []
    for article in articles:
        # An article with no body text still gets one passage: its title.
        chunks = chunk_markdown(article.body) or [Chunk((article.title,), article.title)]
        chunked.append(chunks)
    texts = [
        embedding_text(a.title, c.heading_path, c.text)
        for a, chunks in zip(articles, chunked, strict=True)
        for c in chunks
    ]
    texts.extend(a.title for a in articles)
    texts.extend(outline_text(a.title, c) for a, c in zip(articles, chunked, strict=True))
    vectors = embedder.embed(texts)
    n = len(articles)
    titles = vectors[len(texts) - 2 * n : len(texts) - n]
    outlines = vectors[len(texts) - n :]
    out: list[tuple[list[PassageData], ArticleVectors]] = []
    row = 0
    for i, (article, chunks) in enumerate(zip(articles, chunked, strict=True)):
        passages = []
        for chunk in chunks:
            passages.append(
                PassageData(
                    heading_path=chunk.heading_path,
                    text=chunk.text,
                    search_text=search_text(article.title, chunk.heading_path, chunk.text),
                    embedding=vectors[row],
                )
            )
            row += 1
        out.append((passages, ArticleVectors(title=titles[i], outline=outlines[i])))
    return out


def _batches(items: Sequence[ParsedArticle], size: int) -> Iterable[Sequence[ParsedArticle]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_articles(
    db: Database,
    path: Path,
    embedder: Embedder,
    *,
    prune: bool = False,
    index_cache_dir: Path | None = None,
) -> ImportReport:
    """Import the articles under path; unchanged ones are not re-embedded.

    Files that cannot be read are reported in ``problems`` and skipped. Articles whose files
    are gone are removed only with ``prune``. Raise InvalidInput, before any change, when path
    does not exist, or with ``prune`` when path is a single file or holds none of the stored
    articles (the wrong folder would empty the knowledge base).
    With index_cache_dir, the search index's cache there is brought up to date afterwards
    (``index_cache``), so the next start or reload need not rebuild the index.
    """
    if not path.exists():
        raise InvalidInput(f"no such file or folder: {path}")
    if prune and path.is_file():
        raise InvalidInput(
            f"--prune needs a folder: with the single file {path} it would remove every other "
            "article; nothing was changed"
        )
    report = ImportReport()
    seen: dict[str, Path] = {}
    parsed: list[ParsedArticle] = []
    failed: list[tuple[Path, str, str]] = []
    files, skipped = scan_article_files(path)
    report.problems.extend(skipped)
    for file in files:
        slug = slug_for(file)
        if slug in seen:
            report.problems.append((str(file), f"duplicate slug {slug!r} (also {seen[slug]})"))
            continue
        seen[slug] = file
        try:
            article = parse_article(file)
        except (ArticleError, OSError) as exc:
            failed.append((file, slug, str(exc)))
            log.warning("article skipped", extra={"path": str(file), "reason": str(exc)})
            continue
        parsed.append(article)
        report.warnings.extend((str(file), warning) for warning in article.warnings)

    with db.session() as session:
        existing: dict[str, Fingerprint] = article_fingerprints(session)
    for file, slug, reason in failed:
        if slug in existing:  # the customers keep getting the old text: say so
            reason += "; the version imported earlier stays in use"
        report.problems.append((str(file), reason))
    if prune and existing and not set(existing) & set(seen):
        # Almost surely the wrong folder (a typo, an empty checkout): refuse before any write.
        raise InvalidInput(
            f"--prune would remove all {len(existing)} articles of the knowledge base: "
            f"none of them is in {path}; nothing was changed. Check the path. To replace the "
            f"whole knowledge base, import {path} without --prune first, then again with --prune"
        )

    to_embed: list[ParsedArticle] = []
    unchanged: list[tuple[str, str]] = []
    for article in parsed:
        old = existing.get(article.slug)
        if (
            old
            and old.content_hash == article.content_hash
            and old.embedder == embedder.name
            # Same file, but read differently by an older relaydesk (an unsafe url, hidden
            # HTML comments): stored again.
            and (old.title, old.url) == (article.title, article.url)
            and old.body_digest == body_digest(article.body)
        ):
            report.unchanged.append(article.slug)
            unchanged.append((old.article_id, article.source_path))
        else:
            to_embed.append(article)

    if unchanged:
        with db.transaction() as session:
            for article_id, source in unchanged:
                do_touch_source(session, article_id, source)

    for batch in _batches(to_embed, BATCH_ARTICLES):
        prepared = _prepare(batch, embedder)
        with db.transaction() as session:
            for article, (passages, vectors) in zip(batch, prepared, strict=True):
                old = existing.get(article.slug)
                do_save_article(
                    session,
                    article,
                    passages,
                    vectors,
                    embedder=embedder.name,
                    article_id=old.article_id if old else None,
                )
                (report.updated if old else report.added).append(article.slug)

    gone = sorted(set(existing) - set(seen))
    if prune and gone:
        with db.transaction() as session:
            do_delete_articles(session, gone)
        report.removed.extend(gone)
    elif gone and path.is_dir():  # a single file says nothing about the other articles
        report.kept.extend(gone)
    if index_cache_dir is not None:
        # Imported here: the index needs the importer's package, not the other way round.
        from relaydesk.knowledge.retrieval import KnowledgeIndex

        KnowledgeIndex.load(db, embedder, cache_dir=index_cache_dir)
    log.info(
        "knowledge import done",
        extra={
            "added": len(report.added),
            "updated": len(report.updated),
            "unchanged": len(report.unchanged),
            "removed": len(report.removed),
            "problems": len(report.problems),
        },
    )
    return report
