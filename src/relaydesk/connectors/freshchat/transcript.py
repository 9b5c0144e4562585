"""relaydesk messages as Freshchat message bodies, and the handoff's private summary note.

Pure functions (no I/O): ``sync.py`` decides *when* to send, this module decides *what*.

- a visitor's message is posted as the Freshchat user (``actor_type: user``);
- the AI's (and relaydesk's system) messages as the dedicated AI agent; the AI's sources are
  appended as links (``Sources:`` lines with title and URL), and its buttons become quick
  replies (``reply_parts``) while staying readable in the text;
- an agent's message that came from Freshchat is never sent back (see ``connectors.base``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from relaydesk.connectors.freshchat.schemas import (
    FreshchatMessage,
    MessageCreate,
    quick_reply_part,
    text_part,
)

SUMMARY_MARK = "relaydesk handoff summary"
MAX_SUMMARY_ANSWERS = 5


@dataclass(frozen=True)
class TranscriptLine:
    """The parts of a relaydesk message the transcript needs (a snapshot, no ORM)."""

    id: str
    seq: int
    author: str
    text: str
    private: bool = False
    source_id: str | None = None
    remote_id: str | None = None
    sources: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    buttons: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    delivery_started: bool = False
    delivery_refused: bool = False


def line_text(line: TranscriptLine) -> str:
    """Return the text as posted to Freshchat: the message, then its sources as links."""
    text = line.text.strip()
    links = []
    for source in line.sources:
        title = str(source.get("title") or source.get("slug") or "article")
        url = source.get("url")
        links.append(f"- {title}: {url}" if url else f"- {title}")
    if links:
        text = (text + "\n\nSources:\n" if text else "Sources:\n") + "\n".join(links)
    if line.buttons and line.author in ("ai", "system"):
        labels = " / ".join(str(b.get("label") or b.get("id")) for b in line.buttons)
        text = f"{text}\n[{labels}]" if text else f"[{labels}]"
    return text or "(empty message)"


def message_body(
    line: TranscriptLine,
    *,
    user_id: str,
    ai_agent_id: str | None,
    app_id: str | None = None,
) -> MessageCreate:
    """Return the Freshchat body of one relaydesk message (the caller checked it may go)."""
    parts = [text_part(line_text(line))]
    if line.author == "visitor":
        return MessageCreate(
            message_parts=parts,
            actor_type="user",
            actor_id=user_id,
            user_id=user_id,
            app_id=app_id,
        )
    reply_parts = None
    if line.buttons:
        reply_parts = [
            quick_reply_part(str(b.get("label") or b.get("id")), str(b.get("id")), i + 1)
            for i, b in enumerate(line.buttons)
        ]
    return MessageCreate(
        message_parts=parts,
        reply_parts=reply_parts,
        message_type="private" if line.private else "normal",
        actor_type="agent" if ai_agent_id else "system",
        actor_id=ai_agent_id,
        app_id=app_id,
    )


def transcript_lines(lines: Sequence[TranscriptLine]) -> list[TranscriptLine]:
    """Return the lines that belong in a new Freshchat conversation's transcript, in order."""
    return [
        line
        for line in sorted(lines, key=lambda x: x.seq)
        if not line.private and not line.source_id and line.author in ("visitor", "ai", "system")
    ]


def summary_note(lines: Sequence[TranscriptLine], *, reason: str, contact_label: str) -> str:
    """Return the private note for the agent: the question, what the AI tried, why handed off."""
    visitor = [x.text.strip() for x in lines if x.author == "visitor" and x.text.strip()]
    answers = [x for x in lines if x.author == "ai" and not x.private and x.text.strip()]
    question = visitor[0] if visitor else "(the customer did not write anything yet)"
    out = [f"[{SUMMARY_MARK}] {contact_label} was handed over by the AI agent.", ""]
    out.append(f"Question: {question}")
    if len(visitor) > 1:
        out.append(f"Latest message: {visitor[-1]}")
    out.append("")
    if answers:
        out.append("What the AI tried:")
        for answer in answers[-MAX_SUMMARY_ANSWERS:]:
            first = answer.text.strip().splitlines()[0][:200]
            cited = ", ".join(str(s.get("title") or s.get("slug")) for s in answer.sources)
            out.append(f"- {first}" + (f" (sources: {cited})" if cited else ""))
    else:
        out.append("What the AI tried: nothing (it did not answer).")
    out.append("")
    out.append(f"Why handed over: {reason or 'the customer asked for a person'}")
    return "\n".join(out)


def same_message(remote: FreshchatMessage, body: MessageCreate) -> bool:
    """Tell whether a message found in Freshchat is (a delivery of) body."""
    if remote.actor_type != body.actor_type:
        return False
    if body.actor_id and remote.actor_id and remote.actor_id != body.actor_id:
        return False
    if (remote.message_type or "normal") != body.message_type:
        return False
    wanted = "\n".join(str(p.get("text", {}).get("content", "")) for p in body.message_parts)
    return remote.text.strip() == wanted.strip()


def find_unrecorded(
    remote: Sequence[FreshchatMessage], body: MessageCreate, known_ids: set[str]
) -> FreshchatMessage | None:
    """Return the first remote message equal to body whose id relaydesk has not recorded."""
    for message in remote:
        if message.id not in known_ids and same_message(message, body):
            return message
    return None


__all__ = [
    "SUMMARY_MARK",
    "TranscriptLine",
    "find_unrecorded",
    "line_text",
    "message_body",
    "same_message",
    "summary_note",
    "transcript_lines",
]
