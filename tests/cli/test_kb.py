from __future__ import annotations

import fcntl
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relaydesk.cli import app
from relaydesk.settings import Settings
from tests.knowledge.conftest import write_kb

pytestmark = pytest.mark.postgres


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("RELAYDESK_EMBEDDING_BACKEND", "hashing")
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", settings.resolved_database_url)
    return {"RELAYDESK_DATA_DIR": str(settings.data_dir)}


def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_import_list_show(env: dict[str, str], tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    code, out, _ = run(env, "kb", "import", str(kb), "--json")
    assert code == 0
    report = json.loads(out)
    assert sorted(report["added"]) == ["brew-coffee", "descale", "order-capsules", "warranty"]
    code, out, _ = run(env, "kb", "list", "--json")
    assert code == 0
    assert [a["slug"] for a in json.loads(out)] == [
        "brew-coffee",
        "descale",
        "order-capsules",
        "warranty",
    ]
    code, out, _ = run(env, "kb", "show", "descale", "--json")
    assert code == 0
    article = json.loads(out)
    assert article["url"] == "https://help.example.test/descale"
    assert article["passages"][-1]["heading_path"] == [
        "Descale your machine",
        "Run the descaling cycle",
    ]
    code, out, _ = run(env, "kb", "show", "descale")
    assert "## Descale your machine > Run the descaling cycle" in out
    code, out, _ = run(env, "kb", "import", str(kb))
    assert code == 0
    assert "0 added, 0 updated, 4 unchanged, 0 removed, 0 skipped" in out


def test_show_unknown_slug_fails(env: dict[str, str]) -> None:
    code, _, err = run(env, "kb", "show", "nope")
    assert code == 1
    assert "no article with slug 'nope'" in err


def test_import_missing_path_fails(env: dict[str, str], tmp_path: Path) -> None:
    code, _, err = run(env, "kb", "import", str(tmp_path / "missing"))
    assert code == 1
    assert "no such file or folder" in err


def test_import_reports_bad_files_and_exits_zero(env: dict[str, str], tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    (kb / "bad.md").write_text("---\ntitle: 'unterminated\n---\nBody\n")
    code, out, err = run(env, "kb", "import", str(kb))
    assert code == 0
    assert "4 added" in out
    assert f"skipped {kb / 'bad.md'}: malformed YAML front matter" in err


def test_import_with_nothing_readable_fails(env: dict[str, str], tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "bad.md").write_bytes(b"\xff\xfe# bad\n")
    code, _, err = run(env, "kb", "import", str(kb))
    assert code == 1
    assert "not valid UTF-8" in err
    assert "no article could be read" in err


def test_prune_flag(env: dict[str, str], tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    run(env, "kb", "import", str(kb))
    (kb / "descale.md").unlink()
    code, out, _ = run(env, "kb", "import", str(kb), "--prune", "--json")
    assert code == 0
    assert json.loads(out)["removed"] == ["descale"]


def test_import_warns_about_an_unsafe_url_and_imports_the_article(
    env: dict[str, str], tmp_path: Path
) -> None:
    kb = write_kb(tmp_path / "kb", {"evil.md": "---\nurl: javascript:alert(1)\n---\n# Evil\n\nx\n"})
    code, out, err = run(env, "kb", "import", str(kb))
    assert code == 0
    assert "1 added" in out
    assert f"warning {kb / 'evil.md'}: url ignored" in err
    code, out, _ = run(env, "kb", "show", "evil", "--json")
    assert json.loads(out)["url"] is None


def test_import_of_only_outside_links_fails_with_the_reason(
    env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "passwd.md").symlink_to(tmp_path / "passwd")
    code, _, err = run(env, "kb", "import", str(kb))
    assert code == 1
    assert f"skipped {kb / 'passwd.md'}: a symbolic link to a file outside" in err
    assert "no article could be read" in err


def test_prune_pointed_at_the_wrong_folder_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "kb", "import", str(write_kb(tmp_path / "kb")))
    wrong = write_kb(tmp_path / "drafts", {"draft.md": "# Draft\n\nx\n"})
    code, out, err = run(env, "kb", "import", str(wrong), "--prune")
    assert code == 1
    assert "--prune would remove all 4 articles" in err
    code, out, _ = run(env, "kb", "list", "--json")
    assert len(json.loads(out)) == 4


def test_prune_lists_what_it_removed(env: dict[str, str], tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    run(env, "kb", "import", str(kb))
    (kb / "descale.md").unlink()
    code, out, _ = run(env, "kb", "import", str(kb), "--prune")
    assert code == 0
    assert "removed descale" in out


def test_import_says_which_stored_articles_have_no_file(
    env: dict[str, str], tmp_path: Path
) -> None:
    kb = write_kb(tmp_path / "kb")
    run(env, "kb", "import", str(kb))
    (kb / "descale.md").rename(kb / "descaling.md")
    code, out, err = run(env, "kb", "import", str(kb))
    assert code == 0
    assert "1 added" in out
    assert "1 stored article has no file under" in err and "descale" in err
    assert "--prune" in err


def test_a_data_dir_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = {"RELAYDESK_DATA_DIR": str(blocker / "data"), "RELAYDESK_DATABASE_URL": ""}
    result = CliRunner().invoke(app, ["kb", "list"], env=env)
    assert result.exit_code == 1
    assert f"error: cannot use the data dir {blocker / 'data'}" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_database_that_cannot_be_opened_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'missing-folder' / 'x.db'}"
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", url)
    result = CliRunner().invoke(app, ["kb", "list"], env={"RELAYDESK_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 1
    assert "error: cannot open the database" in result.stderr
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", "postgres-ish://nowhere")
    result = CliRunner().invoke(app, ["kb", "list"], env={"RELAYDESK_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 1
    assert "error: cannot open the database" in result.stderr


def test_a_second_import_while_one_runs_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    # Two imports at once (an overlapping cron run) crashed one of them on a duplicate slug
    # halfway through; the second is now refused up front.
    kb = write_kb(tmp_path / "kb")
    data_dir = Path(env["RELAYDESK_DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "kb-import.lock").open("a+") as running:
        fcntl.flock(running, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, _, err = run(env, "kb", "import", str(kb))
        assert code == 1
        assert "another kb import is running on this data dir" in err
        fcntl.flock(running, fcntl.LOCK_UN)
    code, out, _ = run(env, "kb", "import", str(kb))
    assert (code, "4 added" in out) == (0, True)
