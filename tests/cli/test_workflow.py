"""`relaydesk workflow validate | set | show | schema` and `relaydesk serve`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner
from websockets.sync.client import connect

from relaydesk.cli import app
from relaydesk.db.engine import Database
from relaydesk.settings import Settings
from relaydesk.workflows.queries import find_active_workflow

runner = CliRunner()

GOOD = """
name: tiny
start: hello
blocks:
  - {id: hello, type: message, text: "Hi!", next: helper}
  - {id: helper, type: ai, on_unresolved: human}
  - {id: human, type: handoff_freshchat}
"""
BAD = """
start: hello
blocks:
  - {id: hello, type: message, text: "Hi!", next: nowhere}
  - {id: spare, type: warp}
  - {id: lonely, type: close}
"""


def _env(settings: Settings) -> dict[str, str]:
    return {"RELAYDESK_DATABASE_URL": settings.resolved_database_url}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_validate_good_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["workflow", "validate", str(_write(tmp_path, "w.yaml", GOOD))])
    assert result.exit_code == 0, result.output
    assert "valid workflow 'tiny' (3 blocks" in result.output


def test_validate_reports_every_problem_with_block_ids(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", BAD)
    result = runner.invoke(app, ["workflow", "validate", str(path)])
    assert result.exit_code == 1
    assert "line 4: block 'hello': next names no block: 'nowhere'" in result.output
    assert "line 5: block 'spare': unknown block type 'warp'" in result.output
    assert "line 6: block 'lonely': no path from the start reaches this block" in result.output
    as_json = runner.invoke(app, ["workflow", "validate", "--json", str(path)])
    assert as_json.exit_code == 1
    problems = json.loads(as_json.stdout)["problems"]
    assert {(p["block"], p["code"]) for p in problems} == {
        ("hello", "dangling_link"),
        ("spare", "unknown_block_type"),
        ("lonely", "unreachable"),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{broken: [", "line 1, column 11: expected the node content"),
        ("- just\n- a list\n", "a workflow must be a JSON/YAML object"),
        ("", "a workflow must be a JSON/YAML object"),
    ],
)
def test_validate_unparseable_or_not_a_workflow(tmp_path: Path, text: str, expected: str) -> None:
    result = runner.invoke(app, ["workflow", "validate", str(_write(tmp_path, "x.yaml", text))])
    assert result.exit_code == 1
    assert expected in result.output


SYNTAX_ERROR = """start: hello
blocks:
  - id: hello
    type: message
    text: "Hi!
    next: bye
  - {id: bye, type: close}
"""


def test_a_yaml_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "w.yaml", SYNTAX_ERROR)
    result = runner.invoke(app, ["workflow", "validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}: 1 problem(s)" in result.output
    assert "workflow: not valid YAML: line 8, column 1: found unexpected end of stream" in (
        result.output
    )
    assert "scalar at line 5, column 11" in result.output  # where the open quote is
    as_json = runner.invoke(app, ["workflow", "validate", "--json", str(path)])
    assert as_json.exit_code == 1
    [problem] = json.loads(as_json.stdout)["problems"]
    assert problem["block"] is None and problem["code"] == "syntax_error"
    assert problem["message"].startswith("not valid YAML: line 8, column 1")


def test_a_key_given_twice_is_reported_with_its_line(tmp_path: Path) -> None:
    text = "start: a\nblocks:\n  - {id: a, type: close}\nstart: b\n"
    result = runner.invoke(app, ["workflow", "validate", str(_write(tmp_path, "w.yml", text))])
    assert result.exit_code == 1
    assert "line 4, column 1: duplicate key 'start' (first given on line 1)" in result.output


def test_json_files_read_as_json_even_with_tabs_and_errors_say_where(tmp_path: Path) -> None:
    good = '{\n\t"start": "c",\n\t"blocks": [{"id": "c", "type": "close"}]\n}\n'
    result = runner.invoke(app, ["workflow", "validate", str(_write(tmp_path, "w.json", good))])
    assert result.exit_code == 0, result.output
    bad = '{\n\t"start": "c",\n\t"blocks": [{"id": "c", "type": "close"},]\n}\n'
    result = runner.invoke(app, ["workflow", "validate", str(_write(tmp_path, "b.json", bad))])
    assert result.exit_code == 1
    assert "not valid JSON: line 3, column 42: invalid JSON" in result.output


def test_yes_and_no_buttons_in_yaml_are_valid(tmp_path: Path) -> None:
    text = """
start: ask
blocks:
  - id: ask
    type: branch
    text: Was this helpful?
    buttons:
      - {id: yes, label: Yes, next: bye}
      - {id: no, label: No, next: human}
  - {id: bye, type: close}
  - {id: human, type: handoff_freshchat}
"""
    result = runner.invoke(app, ["workflow", "validate", str(_write(tmp_path, "w.yaml", text))])
    assert result.exit_code == 0, result.output


def test_validate_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["workflow", "validate", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 1
    assert "cannot read" in result.output


@pytest.mark.postgres
def test_set_then_show(tmp_path: Path, settings: Settings, db: Database) -> None:
    env = _env(settings)
    data = ["--data-dir", str(settings.data_dir)]
    shown = runner.invoke(app, ["workflow", "show", "--json", *data], env=env)
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["id"] == "default"
    path = _write(
        tmp_path,
        "w.json",
        json.dumps({"name": "tiny", "start": "c", "blocks": [{"id": "c", "type": "close"}]}),
    )
    result = runner.invoke(app, ["workflow", "set", str(path), *data], env=env)
    assert result.exit_code == 0, result.output
    with db.session() as session:
        record = find_active_workflow(session)
        assert record is not None and record.name == "tiny"
    shown = runner.invoke(app, ["workflow", "show", *data], env=env)
    assert "name: tiny" in shown.stdout and "type: close" in shown.stdout


@pytest.mark.postgres
@pytest.mark.parametrize("text", [BAD, SYNTAX_ERROR])
def test_set_refuses_an_invalid_document_and_changes_nothing(
    tmp_path: Path, settings: Settings, db: Database, text: str
) -> None:
    path = _write(tmp_path, "bad.yaml", text)
    result = runner.invoke(
        app,
        ["workflow", "set", str(path), "--data-dir", str(settings.data_dir)],
        env=_env(settings),
    )
    assert result.exit_code == 1
    assert "nothing changed" in result.output
    with db.session() as session:
        assert find_active_workflow(session) is None


def test_schema_prints_the_json_schema() -> None:
    result = runner.invoke(app, ["workflow", "schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "relaydesk workflow"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_runs_the_whole_system_and_installs_the_default_workflow(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "RELAYDESK_DATA_DIR": str(tmp_path / "data"),
        "RELAYDESK_EMBEDDING_BACKEND": "hashing",
        "RELAYDESK_LOG_LEVEL": "WARNING",
    }
    env.pop("RELAYDESK_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "relaydesk", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            assert time.monotonic() < deadline, "serve did not come up"
            time.sleep(0.2)
        session = httpx.post(
            f"{base}/messenger/v1/sessions", json={"page_url": "https://x.example/"}
        )
        token = session.json()["visitor_token"]
        conv = httpx.post(
            f"{base}/messenger/v1/conversations", headers={"Authorization": f"Bearer {token}"}
        )
        assert conv.status_code == 201
        assert "assistant" in conv.json()["messages"][0]["text"]
        assert httpx.get(f"{base}/widget.js").status_code == 200
        # The stream works and offers no permessage-deflate (~38 KB of zlib state a socket).
        stream = f"ws://127.0.0.1:{port}/messenger/v1/conversations/{conv.json()['id']}/stream"
        with connect(f"{stream}?token={token}") as ws:
            assert ws.response is not None
            assert "Sec-WebSocket-Extensions" not in ws.response.headers
            assert json.loads(ws.recv(timeout=10))["type"] == "status"
    finally:
        proc.terminate()
        proc.wait(15)
    shown = runner.invoke(
        app,
        ["workflow", "show", "--json", "--data-dir", str(tmp_path / "data")],
        env={"RELAYDESK_DATABASE_URL": ""},
    )
    assert json.loads(shown.stdout)["name"] == "default"
    assert json.loads(shown.stdout)["id"] != "default"  # stored on first start


@pytest.mark.postgres
def test_what_show_prints_can_be_set_again_unchanged(
    tmp_path: Path, settings: Settings, db: Database
) -> None:
    env = _env(settings)
    data = ["--data-dir", str(settings.data_dir)]
    document = {
        "version": 1,
        "name": "09",
        "start": "ask",
        "blocks": [
            {
                "id": "ask",
                "type": "branch",
                "text": "1e5",
                "buttons": [
                    {"id": "yes", "label": "Yes", "next": "bye"},
                    {"id": "no", "label": "12:30", "next": "bye"},
                ],
            },
            {"id": "bye", "type": "close", "text": "2026-12-25"},
        ],
    }
    path = _write(tmp_path, "w.json", json.dumps(document))
    assert runner.invoke(app, ["workflow", "set", str(path), *data], env=env).exit_code == 0
    shown = runner.invoke(app, ["workflow", "show", *data], env=env)
    assert shown.exit_code == 0, shown.output
    again = _write(tmp_path, "again.yaml", shown.stdout)
    result = runner.invoke(app, ["workflow", "set", str(again), *data], env=env)
    assert result.exit_code == 0, result.output
    as_json = runner.invoke(app, ["workflow", "show", "--json", *data], env=env)
    assert json.loads(as_json.stdout)["document"] == document


@pytest.mark.parametrize("name", ["w.json", "w.yaml"])
def test_a_file_with_a_byte_order_mark_reads(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps({"start": "c", "blocks": [{"id": "c", "type": "close"}]}).encode()
    )
    result = runner.invoke(app, ["workflow", "validate", str(path)])
    assert result.exit_code == 0, result.output


def test_a_file_that_is_not_text_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_bytes(b"\xff\xfe\x00bad")
    result = runner.invoke(app, ["workflow", "validate", str(path)])
    assert result.exit_code == 1
    assert "it is not UTF-8 text" in result.output


def test_each_problem_gives_the_line_of_its_block_even_for_a_repeated_id(tmp_path: Path) -> None:
    text = """
name: lines
start: a
blocks:
  - id: a
    type: message
    text: hi
    next: b
  - id: b
    type: close
  - id: a
    type: close
    colour: red
"""
    result = runner.invoke(app, ["workflow", "validate", str(_write(tmp_path, "w.yaml", text))])
    assert result.exit_code == 1
    assert "line 11: block 'a': another block has the same id  [duplicate_id]" in result.output
    assert "line 11: block 'a': colour: Extra inputs are not permitted" in result.output
    as_json = runner.invoke(app, ["workflow", "validate", "--json", str(tmp_path / "w.yaml")])
    assert {"block", "code", "message"} == set(json.loads(as_json.stdout)["problems"][0])
