"""`relaydesk ask`: one message to the AI agent, or a stream of JSON lines."""

from __future__ import annotations

import codecs
import json
import logging
import math
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, BinaryIO

import typer

from relaydesk.cli.common import DataDirOption, echo_json, fail, load_settings, open_db
from relaydesk.errors import RelaydeskError

if TYPE_CHECKING:
    from relaydesk.agent import Agent, AgentReply

log = logging.getLogger(__name__)


def ask(
    message: str | None = typer.Argument(None, help="The customer's message."),
    json_out: bool = typer.Option(False, "--json", help="Print the reply as one JSON object."),
    jsonl: bool = typer.Option(
        False,
        "--jsonl",
        help='Read {"id", "message"} JSON lines on stdin; write one JSON reply line per input, in order.',
    ),
    data_dir: DataDirOption = None,
) -> None:
    """Send a message to the AI agent as a new conversation: it answers, hands off or abstains.

    With --jsonl the model is loaded once and every stdin line (UTF-8; blank lines are
    skipped) gets one output line, in order. A line that cannot be answered (not UTF-8, not
    a JSON object, no "message" string, an empty or over-long message, NaN or Infinity)
    gets {"id", "error", "line"} (its 1-based line number on stdin) and the rest go on;
    stderr says how many failed, and the exit status stays 0 as every line was answered.
    """
    if jsonl and message is not None:
        raise fail("give either a MESSAGE or --jsonl, not both")
    if not jsonl and message is None:
        raise fail('give a MESSAGE (relaydesk ask "how do I …") or --jsonl')
    if message is not None and not message.strip():
        raise fail("the message is empty")
    settings = load_settings(data_dir)
    db = open_db(settings)
    try:
        from relaydesk.agent import build_agent

        agent = build_agent(settings, db)
        if len(agent.index) == 0:  # most often a mistyped --data-dir: a new, empty one
            where = "this database" if settings.database_url else str(settings.data_dir)
            typer.secho(
                f"note: no articles have been imported into {where}, so no question can be "
                "answered from them; import them with relaydesk kb import PATH",
                err=True,
                fg=typer.colors.YELLOW,
            )
        if jsonl:
            sys.stdout.flush()
            count, errors = answer_lines(agent, sys.stdin.buffer, sys.stdout.buffer)
            if errors:
                typer.secho(
                    f"{errors} of {count} lines could not be answered "
                    '(their output lines carry "error" and "line")',
                    err=True,
                    fg=typer.colors.YELLOW,
                )
            return
        assert message is not None
        try:
            reply = agent.respond(message)
        except RelaydeskError as exc:
            raise fail(exc.message) from exc
    finally:
        db.dispose()
    if json_out:
        echo_json(reply.to_json())
    else:
        typer.echo(format_reply(reply))


def answer_lines(agent: Agent, lines: Iterable[bytes], out: BinaryIO) -> tuple[int, int]:
    """Answer every JSON line of lines on out, in order; return (lines read, lines in error).

    Lines are read and written as UTF-8 bytes whatever the locale (JSON Lines are UTF-8), so
    one undecodable line is that line's error, not the end of the run. A blank line is skipped;
    every other line gets one output line.
    """
    count = errors = 0
    for number, raw in enumerate(lines, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        if not raw.strip():
            continue
        count += 1
        result = _answer_line(agent, raw)
        if "error" in result:
            errors += 1
            result["line"] = number
        out.write(_json_line(result))
        out.flush()
    return count, errors


def _json_line(value: dict[str, Any]) -> bytes:
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # a lone surrogate from a \ud800 escape: keep it escaped
        return json.dumps(value, allow_nan=False).encode("ascii") + b"\n"


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text} is too large (it would be Infinity)")
    return value


def _answer_line(agent: Agent, raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {"id": None, "error": f"not valid UTF-8 (byte {exc.start + 1} of the line)"}
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON: {exc.msg} (column {exc.colno})"}
    except ValueError as exc:
        return {"id": None, "error": f"invalid JSON: {exc}"}
    if not isinstance(data, dict):
        return {"id": None, "error": "each line must be a JSON object"}
    line_id = data.get("id")
    message = data.get("message")
    if not isinstance(message, str):
        return {"id": line_id, "error": "missing message (a string)"}
    try:
        reply = agent.respond(message)
    except RelaydeskError as exc:
        return {"id": line_id, "error": exc.message}
    except Exception:  # one message must not end the run and lose the lines after it
        log.exception("ask --jsonl: answering a line failed", extra={"id": repr(line_id)})
        return {"id": line_id, "error": "internal error while answering (see the log)"}
    return {"id": line_id, **reply.to_json()}


def format_reply(reply: AgentReply) -> str:
    """Return reply as human-readable text: the answer, then its sources."""
    lines = [reply.answer]
    if reply.sources:
        lines.append("")
        lines.append("Sources:")
        for number, source in enumerate(reply.sources, start=1):
            where = f" <{source.url}>" if source.url else ""
            lines.append(f"  [{number}] {source.title}{where} ({source.slug})")
    lines.append("")
    lines.append(
        f"({reply.action}, confidence {reply.confidence:.2f}, language {reply.language}"
        f"{', ' + reply.reason if reply.reason else ''})"
    )
    return "\n".join(lines)
