"""`relaydesk ask`: one message to the AI agent, or a stream of JSON lines."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

import typer

from relaydesk.cli.common import DataDirOption, echo_json, fail, load_settings, open_db
from relaydesk.errors import RelaydeskError

if TYPE_CHECKING:
    from relaydesk.agent import Agent, AgentReply


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

    With --jsonl the model is loaded once and every stdin line gets one output line, in
    order; a bad line gets {"id", "error"} and the rest go on.
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
        if jsonl:
            answer_lines(agent, sys.stdin, sys.stdout)
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


def answer_lines(agent: Agent, lines: TextIO, out: TextIO) -> int:
    """Answer every JSON line of lines on out, in order; return how many lines were read."""
    count = 0
    for raw in lines:
        if not raw.strip():
            continue
        count += 1
        out.write(json.dumps(_answer_line(agent, raw), ensure_ascii=False) + "\n")
        out.flush()
    return count


def _answer_line(agent: Agent, raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON: {exc.msg}"}
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
