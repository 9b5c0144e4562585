"""Transcript → HTML and the subject line: authors, times, sources, and no HTML injection."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from relaydesk.connectors.freshdesk.tickets import safe_url, subject_from, transcript_html

T = datetime(2026, 11, 27, 14, 3, tzinfo=UTC)
ALLOWED_TAGS = {"div", "p", "b", "small", "br", "ul", "li", "a", "table", "tr", "th", "td"}


@dataclass
class Msg:
    author: str
    text: str
    created_at: datetime = T
    sources: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[dict[str, Any]] = field(default_factory=list)
    input: dict[str, Any] | None = None
    private: bool = False


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(markup: str) -> Collector:
    c = Collector()
    c.feed(markup)
    c.close()
    return c


def test_transcript_has_authors_times_and_source_links() -> None:
    messages = [
        Msg("visitor", "How do I reset my password?"),
        Msg(
            "ai",
            "Go to Settings → Security.",
            sources=[
                {"slug": "reset", "title": "Reset a password", "url": "https://help.test/reset"}
            ],
        ),
        Msg("system", "Was this helpful?", buttons=[{"id": "no", "label": "No"}]),
        Msg("ai", "secret", private=True),
    ]
    out = transcript_html(messages, visitor_name="Jane", header={"Email": "jane@x.test"})
    assert "<b>Jane</b>" in out and "<b>AI agent</b>" in out
    assert "2026-11-27 14:03 UTC" in out
    assert '<a href="https://help.test/reset" rel="noopener noreferrer">Reset a password</a>' in out
    assert "[No]" in out
    assert "secret" not in out
    assert "jane@x.test" in out


def test_visitor_markup_is_escaped() -> None:
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)"> & <a href="javascript:x">y</a>'
    out = transcript_html(
        [
            Msg("visitor", evil),
            Msg("ai", "ok", sources=[{"title": "<b>t</b>", "url": "javascript:alert(3)"}]),
        ],
        visitor_name='"><svg onload=alert(4)>',
    )
    parsed = parse(out)
    assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS
    assert all(name in ("class", "href", "rel") for _, attrs in parsed.tags for name, _ in attrs)
    assert not any(tag == "a" for tag, _ in parsed.tags)  # the javascript: URL got no link
    assert evil in "".join(parsed.text)
    assert "<script>" not in out and "&lt;script&gt;" in out


@given(st.text(max_size=200), st.text(max_size=40), st.text(max_size=60))
def test_any_text_stays_text(text: str, title: str, url: str) -> None:
    out = transcript_html(
        [Msg("visitor", text), Msg("ai", text, sources=[{"title": title, "url": url}])],
        visitor_name=title,
    )
    parsed = parse(out)
    assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS
    for _tag, attrs in parsed.tags:
        for name, value in attrs:
            assert name in ("class", "href", "rel")
            if name == "href":
                assert value is not None and safe_url(value) == value


def test_reply_to_code_prompt_is_not_copied() -> None:
    out = transcript_html(
        [
            Msg("system", "Enter the code", input={"field": "otp", "label": "Code"}),
            Msg("visitor", "493817"),
            Msg("visitor", "thanks"),
        ]
    )
    assert "493817" not in out and "thanks" in out


def test_safe_url() -> None:
    assert safe_url("https://a.test/x?y=1") == "https://a.test/x?y=1"
    assert safe_url("HTTP://a.test") == "HTTP://a.test"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,x",
        "/relative",
        "https://",
        None,
        3,
        "http://a\n.test",
    ):
        assert safe_url(bad) is None


def test_subject_is_the_first_real_question() -> None:
    msgs = [
        Msg("system", "Welcome!", buttons=[{"id": "a", "label": "Talk to us"}]),
        Msg("visitor", "Talk to us"),
        Msg("visitor", "Hello there!"),
        Msg("visitor", "  My   order\n#1234 never arrived, where is it?"),
        Msg("visitor", "later"),
    ]
    assert subject_from(msgs) == "My order #1234 never arrived, where is it?"


def test_subject_falls_back_and_is_shortened() -> None:
    assert subject_from([]) == "Chat from the messenger"
    assert subject_from([Msg("visitor", "hi")]) == "hi"
    long = "word " * 60
    s = subject_from([Msg("visitor", long)])
    assert len(s) <= 120 and s.endswith("…")
