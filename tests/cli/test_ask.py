from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relaydesk.cli import app
from relaydesk.settings import Settings
from tests.agent.conftest import write_kb

pytestmark = pytest.mark.postgres


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("RELAYDESK_EMBEDDING_BACKEND", "minilm")
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", settings.resolved_database_url)
    return {"RELAYDESK_DATA_DIR": str(settings.data_dir)}


@pytest.fixture
def imported(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    code, _, err = run(env, "kb", "import", str(write_kb(tmp_path)))
    assert code == 0, err
    return env


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env, input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_ask_prints_the_answer_then_its_sources(imported: dict[str, str]) -> None:
    code, out, _ = run(imported, "ask", "how long does the password reset link work")
    assert code == 0
    answer, _, rest = out.partition("Sources:")
    assert "45 minutes" in answer
    assert "[1] Reset your password <https://help.lumen.test/reset-your-password>" in rest


def test_ask_json(imported: dict[str, str]) -> None:
    code, out, _ = run(imported, "ask", "can I talk to a human", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["action"] == "handoff"
    assert set(data) == {"action", "answer", "sources", "confidence", "language"}


def test_ask_jsonl_answers_every_line_in_order_and_reports_bad_ones(
    imported: dict[str, str],
) -> None:
    lines = [
        json.dumps({"id": "a", "message": "how do I export my notes"}),
        "this is not json",
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "message": ""}),
        json.dumps({"id": "e", "message": "x" * 4001}),
        json.dumps({"id": 6, "message": "quiero hablar con una persona"}),
        "",
        json.dumps({"id": "g", "message": "is there a Jira integration"}),
    ]
    code, out, _ = run(imported, "ask", "--jsonl", stdin="\n".join(lines) + "\n")
    assert code == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in results] == ["a", None, "c", "d", "e", 6, "g"]
    assert results[0]["action"] == "answer"
    assert results[0]["sources"][0]["slug"] == "export-your-notes"
    assert set(results[0]["sources"][0]) == {"slug", "title", "url", "score"}
    assert "invalid JSON" in results[1]["error"]
    assert "missing message" in results[2]["error"]
    assert "empty" in results[3]["error"]
    assert "4000" in results[4]["error"]
    assert (results[5]["action"], results[5]["language"]) == ("handoff", "es")
    assert results[6]["action"] == "abstain"


def test_ask_on_an_empty_knowledge_base_abstains_clearly(env: dict[str, str]) -> None:
    code, out, _ = run(env, "ask", "how do I reset my password", "--json")
    assert code == 0
    assert json.loads(out)["action"] == "abstain"
    assert "no help articles" in json.loads(out)["answer"]


def test_ask_tells_the_admin_when_the_knowledge_base_is_empty(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A mistyped --data-dir is a fresh, empty one: stdout is the customer's reply, stderr
    # tells the admin why.
    monkeypatch.delenv("RELAYDESK_DATABASE_URL", raising=False)
    monkeypatch.setenv("RELAYDESK_EMBEDDING_BACKEND", "hashing")
    typo = settings.data_dir / "relaydesk_data"
    for args, stdin in ((["ask", "reset my password"], None), (["ask", "--jsonl"], "")):
        result = CliRunner().invoke(app, [*args, "--data-dir", str(typo)], input=stdin)
        assert result.exit_code == 0
        assert f"no articles have been imported into {typo}" in result.stderr
        assert "relaydesk kb import" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask"], "give a MESSAGE"),
        (["ask", "hi", "--jsonl"], "not both"),
        (["ask", "   "], "empty"),
    ],
)
def test_ask_bad_input(env: dict[str, str], args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code != 0
    assert message in result.stderr or message in str(result.exception)


def test_ask_jsonl_in_a_real_process(imported: dict[str, str]) -> None:
    environment = {**os.environ, **imported, "RELAYDESK_EMBEDDING_BACKEND": "minilm"}
    stdin = "\n".join(
        [
            json.dumps({"id": 0, "message": "how do I export my notes"}),
            json.dumps({"id": 1, "message": "agent please"}),
            "{",
        ]
    )
    done = subprocess.run(
        [sys.executable, "-m", "relaydesk", "ask", "--jsonl"],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r.get("action") for r in results] == ["answer", "handoff", None]
    assert "error" in results[2]


def _strict_json(line: str) -> dict[str, object]:
    def refuse(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")

    value = json.loads(line, parse_constant=refuse)
    assert isinstance(value, dict)
    return value


def _ask_jsonl_process(env: dict[str, str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    # A strict UTF-8 locale, as on most servers: the text layer must not decide for us.
    environment = {
        **os.environ,
        **env,
        "RELAYDESK_EMBEDDING_BACKEND": "hashing",
        "PYTHONIOENCODING": "utf-8:strict",
    }
    return subprocess.run(
        [sys.executable, "-m", "relaydesk", "ask", "--jsonl"],
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_ask_jsonl_reports_a_line_that_is_not_utf8_and_answers_the_others(
    env: dict[str, str],
) -> None:
    stdin = (
        b'\xef\xbb\xbf{"id": 1, "message": "hello"}\n'  # a BOM, as PowerShell writes
        b'{"id": 2, "message": "caf\xe9"}\r\n'  # Latin-1, CRLF
        b'{"id": 3, "message": "\xc2\xbfhablas espa\xc3\xb1ol?"}\n'
    )
    done = _ask_jsonl_process(env, stdin)
    assert done.returncode == 0, done.stderr.decode()
    results = [_strict_json(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [r["id"] for r in results] == [1, None, 3]
    assert results[0]["action"] == "abstain"
    assert results[1]["line"] == 2 and "not valid UTF-8" in str(results[1]["error"])
    assert results[2]["action"] == "abstain"
    assert "1 of 3 lines could not be answered" in done.stderr.decode()


def test_ask_jsonl_keeps_ids_of_every_json_type_and_writes_only_valid_json(
    env: dict[str, str],
) -> None:
    ids: list[object] = [
        "a",
        7,
        2**70,
        1.5,
        True,
        None,
        {"case": [1, "x"]},
        ["k", 2],
        "\u00fcber \U0001f600",
        "\ud800",
    ]
    lines = [json.dumps({"id": i, "message": "hello"}) for i in ids]
    lines += [
        '{"id": NaN, "message": "hello"}',
        '{"id": 1e400, "message": "hello"}',
        "",
        "[1, 2]",
        '{"id": "m", "message": 5}',
    ]
    result = CliRunner().invoke(app, ["ask", "--jsonl"], env=env, input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    results = [_strict_json(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in results[: len(ids)]] == ids
    assert all(r["action"] == "abstain" for r in results[: len(ids)])
    bad = results[len(ids) :]
    assert [(r["id"], r["line"]) for r in bad] == [(None, 11), (None, 12), (None, 14), ("m", 15)]
    assert "NaN" in str(bad[0]["error"]) and "Infinity" in str(bad[1]["error"])
    assert "JSON object" in str(bad[2]["error"])
    assert "4 of 14 lines could not be answered" in result.stderr
