"""Turn a relaydesk conversation into a Freshdesk ticket's subject and HTML description.

Every piece of text that came from a visitor, the AI, an article or an attribute is escaped
with ``html.escape`` before it is placed in the HTML, and links are only emitted for
``http``/``https`` URLs, so nothing a visitor types can inject markup or script into an
agent's screen. The visitor's reply to a one-time-code prompt is never copied.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

SUBJECT_MAX = 120
_WS = re.compile(r"\s+")
_GREETING = re.compile(
    r"^(hi|hello|hey|hallo|hola|bonjour|ola|olá|good (morning|afternoon|evening)|yo|help)"
    r"[\s!.,]*(there|team|all)?[\s!.,]*$",
    re.IGNORECASE,
)
AUTHOR_LABELS = {"ai": "AI agent", "agent": "Agent", "system": "relaydesk"}
OTP_FIELD = "otp"
TRANSCRIPT_TITLE = "<p><b>Conversation transcript</b></p>"


class TranscriptMessage(Protocol):
    """What the transcript needs from a message (``relaydesk.db.models.conversations.Message``)."""

    @property
    def author(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def sources(self) -> list[dict[str, Any]]: ...
    @property
    def buttons(self) -> list[dict[str, Any]]: ...
    @property
    def input(self) -> dict[str, Any] | None: ...
    @property
    def private(self) -> bool: ...


def esc(value: object) -> str:
    """Return value as text, escaped for HTML element content and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(url: object) -> str | None:
    """Return url if it is an absolute http(s) URL, else None (no javascript:, data:…)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if any(ch in url for ch in "\r\n\t\x00") or not url:
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _fmt_time(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _text_html(text: str) -> str:
    return "<br>".join(esc(line) for line in text.splitlines()) if text else ""


def _sources_html(sources: Iterable[Mapping[str, Any]]) -> str:
    items = []
    for src in sources:
        title = src.get("title") or src.get("slug") or "article"
        url = safe_url(src.get("url"))
        if url:
            items.append(
                f'<li><a href="{esc(url)}" rel="noopener noreferrer">{esc(title)}</a></li>'
            )
        else:
            items.append(f"<li>{esc(title)}</li>")
    if not items:
        return ""
    return f'<div class="rd-sources">Sources:<ul>{"".join(items)}</ul></div>'


def _buttons_html(buttons: Iterable[Mapping[str, Any]]) -> str:
    labels = [f"[{esc(b.get('label', ''))}]" for b in buttons if b.get("label")]
    return f'<div class="rd-options">Options: {" ".join(labels)}</div>' if labels else ""


def transcript_html(
    messages: Sequence[TranscriptMessage],
    *,
    visitor_name: str | None = None,
    header: Mapping[str, object] | None = None,
) -> str:
    """Return the whole conversation as HTML: one block per message with author and time.

    ``header`` rows (e.g. email, verified, conversation id) are shown first, as a table.
    Private messages are left out; a reply to a one-time-code prompt is shown redacted.
    """
    parts: list[str] = ['<div class="rd-transcript">']
    if header:
        rows = "".join(
            f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in header.items() if v != ""
        )
        parts.append(f'<table class="rd-header">{rows}</table>')
    parts.append(TRANSCRIPT_TITLE)
    awaiting_code = False
    for msg in messages:
        if msg.private:
            continue
        author = msg.author
        label = (
            (visitor_name or "Visitor")
            if author == "visitor"
            else AUTHOR_LABELS.get(author, author)
        )
        text = msg.text or ""
        if author == "visitor" and awaiting_code:
            text = "(verification code, not copied)"
        if author != "visitor":
            awaiting_code = bool(msg.input and msg.input.get("field") == OTP_FIELD)
        else:
            awaiting_code = False
        parts.append(
            f'<div class="rd-message rd-{esc(author)}">'
            f"<p><b>{esc(label)}</b> <small>{esc(_fmt_time(msg.created_at))}</small></p>"
            f"<p>{_text_html(text)}</p>"
            f"{_sources_html(msg.sources or [])}"
            f"{_buttons_html(msg.buttons or [])}"
            "</div>"
        )
    parts.append("</div>")
    return "".join(parts)


def message_note_html(text: str, *, author_label: str, created_at: datetime) -> str:
    """Return one later message as the HTML body of a ticket note, escaped."""
    return (
        f"<p><b>{esc(author_label)}</b> <small>{esc(_fmt_time(created_at))}</small></p>"
        f"<p>{_text_html(text)}</p>"
    )


def _clean(text: str) -> str:
    text = "".join(ch for ch in text if ch.isprintable() or ch.isspace())
    return _WS.sub(" ", text).strip()


def _shorten(text: str, limit: int = SUBJECT_MAX) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + "…"


def subject_from(
    messages: Sequence[TranscriptMessage], *, fallback: str = "Chat from the messenger"
) -> str:
    """Return a ticket subject: the customer's first real question, on one line.

    Greetings ("hi", "hello there") and button clicks are skipped; the first visitor message
    that says something is used, shortened at a word boundary.
    """
    first_any: str | None = None
    clicked: set[str] = set()
    for msg in messages:
        if msg.author != "visitor":
            clicked = {str(b.get("label", "")) for b in (msg.buttons or [])}
            continue
        text = _clean(msg.text or "")
        if not text:
            continue
        if first_any is None:
            first_any = text
        if text in clicked or _GREETING.match(text):
            continue
        return _shorten(text)
    return _shorten(first_any) if first_any else fallback
