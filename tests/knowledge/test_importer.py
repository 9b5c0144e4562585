from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from relaydesk.db.engine import Database
from relaydesk.errors import InvalidInput
from relaydesk.knowledge import HashingEmbedder, KnowledgeIndex, import_articles
from relaydesk.knowledge.queries import get_article, list_articles

pytestmark = pytest.mark.postgres


def test_import_then_search_finds_the_article(db: Database, kb_dir: Path) -> None:
    embedder = HashingEmbedder()
    report = import_articles(db, kb_dir, embedder)
    assert sorted(report.added) == ["brew-coffee", "descale", "order-capsules", "warranty"]
    assert report.problems == []
    index = KnowledgeIndex.load(db, embedder)
    assert len(index) == 4
    hits = index.search("how often should I descale the machine", k=3)
    assert hits[0].slug == "descale"
    assert hits[0].url == "https://help.example.test/descale"
    assert hits[0].passages[0].heading_path[0] == "Descale your machine"
    hits = index.search("pause my capsule subscription")
    assert hits[0].slug == "order-capsules"
    assert hits[0].url == "https://help.example.test/order-capsules"
    assert "Account > Subscription" in hits[0].passages[0].text


def test_reimport_embeds_only_changed_articles(db: Database, kb_dir: Path) -> None:
    embedder = HashingEmbedder()
    import_articles(db, kb_dir, embedder)
    calls = embedder.calls
    report = import_articles(db, kb_dir, embedder)
    assert embedder.calls == calls
    assert sorted(report.unchanged) == ["brew-coffee", "descale", "order-capsules", "warranty"]
    (kb_dir / "descale.md").write_text("# Descale your machine\n\nDescale every 6 months.\n")
    report = import_articles(db, kb_dir, embedder)
    assert report.updated == ["descale"]
    assert embedder.calls == calls + 1
    with db.session() as session:
        article = get_article(session, "descale")
        assert article.url is None
        assert [p.text for p in article.passages] == ["Descale every 6 months."]
    index = KnowledgeIndex.load(db, embedder)
    assert "6 months" in index.search("descale how often")[0].passages[0].text


def test_prune_removes_only_missing_articles(db: Database, kb_dir: Path) -> None:
    embedder = HashingEmbedder()
    import_articles(db, kb_dir, embedder)
    (kb_dir / "warranty.md").unlink()
    report = import_articles(db, kb_dir, embedder)
    assert report.removed == []
    with db.session() as session:
        assert len(list_articles(session)) == 4
    report = import_articles(db, kb_dir, embedder, prune=True)
    assert report.removed == ["warranty"]
    with db.session() as session:
        assert [a.slug for a, _ in list_articles(session)] == [
            "brew-coffee",
            "descale",
            "order-capsules",
        ]
    assert all(h.slug != "warranty" for h in KnowledgeIndex.load(db, embedder).search("repair"))


def test_bad_files_are_reported_and_skipped(db: Database, kb_dir: Path) -> None:
    (kb_dir / "broken.md").write_text("---\ntitle: [unclosed\n---\n# Broken\n\nText.\n")
    (kb_dir / "latin1.md").write_bytes("# Caf\xe9\n\nText.\n".encode("latin-1"))
    report = import_articles(db, kb_dir, HashingEmbedder())
    problems = dict(report.problems)
    assert "malformed YAML front matter" in problems[str(kb_dir / "broken.md")]
    assert "not valid UTF-8" in problems[str(kb_dir / "latin1.md")]
    assert len(report.added) == 4


def test_missing_path_is_invalid_input(db: Database, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        import_articles(db, tmp_path / "nope", HashingEmbedder())


def test_duplicate_slug_in_another_folder_is_reported(db: Database, kb_dir: Path) -> None:
    (kb_dir / "more").mkdir()
    (kb_dir / "more" / "descale.html").write_text("<h1>Other descale</h1><p>x</p>")
    report = import_articles(db, kb_dir, HashingEmbedder())
    assert len(report.added) == 4
    [(path, reason)] = report.problems
    assert path == str(kb_dir / "more" / "descale.html")
    assert "duplicate slug 'descale'" in reason


def test_a_single_file_can_be_imported(db: Database, kb_dir: Path) -> None:
    report = import_articles(db, kb_dir / "guides" / "order-capsules.html", HashingEmbedder())
    assert report.added == ["order-capsules"]
    with db.session() as session:
        article = get_article(session, "order-capsules")
    assert article.title == "Order capsules"
    assert [json.loads(p.heading_path) for p in article.passages] == [
        ["Order capsules"],
        ["Order capsules", "Subscription"],
    ]


def test_an_unsafe_url_is_never_stored_and_the_article_still_imports(
    db: Database, kb_dir: Path
) -> None:
    (kb_dir / "evil.md").write_text(
        "---\ntitle: Refunds\nurl: javascript:alert(1)\n---\n# Refunds\n\nRefunds take 5 days.\n"
    )
    embedder = HashingEmbedder()
    report = import_articles(db, kb_dir, embedder)
    assert "evil" in report.added
    [(path, reason)] = report.warnings
    assert path == str(kb_dir / "evil.md") and "javascript:alert(1)" in reason
    assert report.as_dict()["warnings"] == [{"path": path, "reason": reason}]
    with db.session() as session:
        assert get_article(session, "evil").url is None
    [hit] = [h for h in KnowledgeIndex.load(db, embedder).search("refunds") if h.slug == "evil"]
    assert hit.url is None


def test_reimport_fixes_a_url_stored_by_an_older_parser(db: Database, kb_dir: Path) -> None:
    embedder = HashingEmbedder()
    import_articles(db, kb_dir, embedder)
    with db.transaction() as session:  # as an older relaydesk stored it, unchecked
        get_article(session, "descale").url = "javascript:alert(1)"
    report = import_articles(db, kb_dir, embedder)
    assert report.updated == ["descale"]
    with db.session() as session:
        assert get_article(session, "descale").url == "https://help.example.test/descale"


def test_symbolic_links_are_followed_only_to_files_inside_the_folder(
    db: Database, kb_dir: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "server"
    outside.mkdir()
    (outside / "secret.txt").write_text("# Secret\n\nDB_PASSWORD=hunter2\n")
    (outside / "more.md").write_text("# More\n\nOutside the folder.\n")
    (kb_dir / "secret.md").symlink_to(outside / "secret.txt")
    (kb_dir / "elsewhere").symlink_to(outside, target_is_directory=True)
    (kb_dir / "gone.md").symlink_to(tmp_path / "missing.md")
    (kb_dir / "alias.md").symlink_to(kb_dir / "descale.md")  # inside: fine
    report = import_articles(db, kb_dir, HashingEmbedder())
    assert "alias" in report.added and "secret" not in report.added
    assert "more" not in report.added
    problems = dict(report.problems)
    assert "outside" in problems[str(kb_dir / "secret.md")]
    assert "not followed" in problems[str(kb_dir / "elsewhere")]
    assert "broken symbolic link" in problems[str(kb_dir / "gone.md")]
    with db.session() as session:
        assert all("hunter2" not in a.body for a, _ in list_articles(session))


def test_hidden_folders_are_not_read(db: Database, kb_dir: Path) -> None:
    (kb_dir / ".github").mkdir()
    (kb_dir / ".github" / "pull_request_template.md").write_text("# PR\n\nInternal checklist.\n")
    report = import_articles(db, kb_dir, HashingEmbedder())
    assert "pull_request_template" not in report.added
    assert report.problems == []


def test_prune_with_a_single_file_is_refused_and_changes_nothing(
    db: Database, kb_dir: Path
) -> None:
    embedder = HashingEmbedder()
    import_articles(db, kb_dir, embedder)
    (kb_dir / "descale.md").write_text("# Descale\n\nEvery 6 months.\n")
    with pytest.raises(InvalidInput, match="--prune needs a folder"):
        import_articles(db, kb_dir / "descale.md", embedder, prune=True)
    with db.session() as session:
        assert len(list_articles(session)) == 4
        assert "3 months" in get_article(session, "descale").body


def test_prune_with_a_folder_holding_none_of_the_articles_is_refused(
    db: Database, kb_dir: Path, tmp_path: Path
) -> None:
    embedder = HashingEmbedder()
    import_articles(db, kb_dir, embedder)
    other = tmp_path / "other"
    other.mkdir()
    (other / "new.md").write_text("# New\n\nText.\n")
    with pytest.raises(InvalidInput, match="would remove all 4 articles") as caught:
        import_articles(db, other, embedder, prune=True)
    assert "without --prune first" in caught.value.message
    with db.session() as session:
        assert len(list_articles(session)) == 4  # and "new" was not imported either
    # The documented way to replace the whole knowledge base works:
    import_articles(db, other, embedder)
    report = import_articles(db, other, embedder, prune=True)
    assert sorted(report.removed) == ["brew-coffee", "descale", "order-capsules", "warranty"]


def test_a_single_file_that_is_not_an_article_is_reported(db: Database, tmp_path: Path) -> None:
    (tmp_path / "kb.zip").write_bytes(b"PK\x03\x04")
    report = import_articles(db, tmp_path / "kb.zip", HashingEmbedder())
    assert report.imported == 0
    [(_, reason)] = report.problems
    assert "not an article file" in reason


def test_reimport_replaces_a_body_an_older_parser_read_differently(
    db: Database, kb_dir: Path
) -> None:
    embedder = HashingEmbedder()
    import_articles(db, kb_dir, embedder)
    with db.transaction() as session:  # as an older relaydesk read it: with a hidden comment
        get_article(session, "descale").body += "\n<!-- internal note -->\n"
    report = import_articles(db, kb_dir, embedder)
    assert report.updated == ["descale"]
    assert len(report.unchanged) == 3
    with db.session() as session:
        assert "internal note" not in get_article(session, "descale").body


def test_a_file_that_now_fails_says_the_earlier_version_stays(db: Database, kb_dir: Path) -> None:
    embedder = HashingEmbedder()
    import_articles(db, kb_dir, embedder)
    (kb_dir / "descale.md").write_text("---\ntitle: [oops\n---\n# Descale\n\nEvery 6 months.\n")
    report = import_articles(db, kb_dir, embedder)
    [(path, reason)] = report.problems
    assert "malformed YAML" in reason and "the version imported earlier stays" in reason
    with db.session() as session:
        assert "3 months" in get_article(session, "descale").body


def test_stored_articles_without_a_file_are_listed_as_kept(db: Database, kb_dir: Path) -> None:
    embedder = HashingEmbedder()
    import_articles(db, kb_dir, embedder)
    (kb_dir / "warranty.md").rename(kb_dir / "warranty-and-repairs.md")  # a renamed slug
    report = import_articles(db, kb_dir, embedder)
    assert report.added == ["warranty-and-repairs"]
    assert report.kept == ["warranty"]
    assert report.as_dict()["kept"] == ["warranty"]
    report = import_articles(db, kb_dir, embedder, prune=True)
    assert (report.removed, report.kept) == (["warranty"], [])


def test_a_single_file_import_keeps_the_others_without_listing_them(
    db: Database, kb_dir: Path
) -> None:
    embedder = HashingEmbedder()
    import_articles(db, kb_dir, embedder)
    report = import_articles(db, kb_dir / "descale.md", embedder)
    assert (report.unchanged, report.kept) == (["descale"], [])


def test_a_file_with_nul_bytes_is_skipped_and_the_rest_imports(db: Database, kb_dir: Path) -> None:
    (kb_dir / "binary.md").write_bytes(b"# Binary\n\nx\x00y\n")
    report = import_articles(db, kb_dir, HashingEmbedder())
    assert len(report.added) == 4
    assert "NUL bytes" in dict(report.problems)[str(kb_dir / "binary.md")]


def test_an_overlong_title_or_url_does_not_fail_the_import(db: Database, kb_dir: Path) -> None:
    # The columns hold 500 and 2,000 characters; PostgreSQL refused the whole batch.
    title = "Refunds " + "and more " * 80
    url = "https://help.test/r?" + "x" * 2100
    (kb_dir / "long.md").write_text(f"---\ntitle: {title}\nurl: {url}\n---\nRefunds take 5 days.\n")
    report = import_articles(db, kb_dir, HashingEmbedder())
    assert len(report.added) == 5
    reasons = " ".join(r for p, r in report.warnings if p == str(kb_dir / "long.md"))
    assert "title cut" in reasons and "url ignored" in reasons
    with db.session() as session:
        article = get_article(session, "long")
    assert len(article.title) <= 500 and article.title.startswith("Refunds and more")
    assert article.url is None


def test_a_named_pipe_is_reported_not_read(db: Database, kb_dir: Path) -> None:
    # Reading a FIFO blocks until someone writes to it: the import would hang.
    os.mkfifo(kb_dir / "pipe.md")
    report = import_articles(db, kb_dir, HashingEmbedder())
    assert len(report.added) == 4
    assert "not a regular file" in dict(report.problems)[str(kb_dir / "pipe.md")]
