from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest

from relaydesk.knowledge.parsing import ArticleError, html_to_markdown, parse_article


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_gives_title_and_url(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "reset-pin.md",
        "---\ntitle: Reset your PIN\nurl: https://help.test/pin\n---\n# Other heading\n\nText.\n",
    )
    article = parse_article(path)
    assert (article.slug, article.title, article.url) == (
        "reset-pin",
        "Reset your PIN",
        "https://help.test/pin",
    )
    assert article.body.startswith("# Other heading")
    assert len(article.content_hash) == 64


def test_title_falls_back_to_first_heading_then_slug(tmp_path: Path) -> None:
    assert parse_article(write(tmp_path, "a.md", "Intro\n\n## Sub\n\n# Main\n")).title == "Main"
    assert parse_article(write(tmp_path, "b.md", "Intro\n\n## Only sub\n")).title == "Only sub"
    assert parse_article(write(tmp_path, "c-d.md", "Just text.\n")).title == "c-d"
    article = parse_article(write(tmp_path, "e.md", "---\nurl: https://x.test\n---\nText\n"))
    assert (article.title, article.url) == ("e", "https://x.test")


def test_crlf_and_bom_are_accepted(tmp_path: Path) -> None:
    raw = "\ufeff---\r\ntitle: Windows\r\n---\r\n# H\r\n\r\nBody\r\n".encode()
    article = parse_article(write(tmp_path, "w.md", raw))
    assert article.title == "Windows"
    assert "\r" not in article.body


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("---\ntitle: [oops\n---\nBody\n", "malformed YAML front matter"),
        ("---\n- a\n- b\n---\nBody\n", "expected a mapping"),
        ("---\ntitle: {a: 1}\n---\nBody\n", "'title' must be a single value"),
        ("", "the article is empty"),
    ],
)
def test_bad_articles_raise_with_a_reason(tmp_path: Path, text: str, reason: str) -> None:
    with pytest.raises(ArticleError, match=reason):
        parse_article(write(tmp_path, "bad.md", text))


def test_invalid_utf8_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="not valid UTF-8"):
        parse_article(write(tmp_path, "bad.md", b"# Caf\xe9\n"))


def test_html_becomes_markdown_with_headings_and_lists() -> None:
    markdown, title, url = html_to_markdown(
        "<html><head><title>T | Help</title><link rel='canonical' href='https://h.test/x'>"
        "<style>p{}</style></head><body><nav>Menu</nav><h1>Main</h1><p>One &amp; two.</p>"
        "<h2>Steps</h2><ol><li>Open <b>Settings</b></li><li>Click Save</li></ol>"
        "<script>var x = 1;</script></body></html>"
    )
    assert (title, url) == ("T | Help", "https://h.test/x")
    assert "# Main" in markdown
    assert "## Steps" in markdown
    assert "- Open Settings" in markdown
    assert "One & two." in markdown
    assert "Menu" not in markdown and "var x" not in markdown


def test_html_article_title_prefers_front_matter_then_h1(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Page | Help</title></head><body><h1>Heading</h1><p>x</p></body></html>"
    )
    assert parse_article(write(tmp_path, "p.html", html)).title == "Heading"
    fm = "---\ntitle: From front matter\n---\n" + html
    assert parse_article(write(tmp_path, "q.htm", fm)).title == "From front matter"
    no_h = "<html><head><title>Page | Help</title></head><body><p>x</p></body></html>"
    assert parse_article(write(tmp_path, "r.html", no_h)).title == "Page | Help"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "www.example.com/help",
        "/help/articles/x",
        "https://",
        "2024-01-01",
        "42",
        "https://help.test/a b",
    ],
)
def test_a_url_that_is_not_an_http_link_is_dropped_with_a_warning(tmp_path: Path, url: str) -> None:
    text = f"---\ntitle: Pay\nurl: {url!r}\n---\n# Pay\n\nText.\n"
    if url in ("2024-01-01", "42"):  # unquoted: YAML reads a date, a number
        text = text.replace(repr(url), url)
    article = parse_article(write(tmp_path, "pay.md", text))
    assert article.url is None
    assert article.title == "Pay" and "Text." in article.body
    [warning] = article.warnings
    assert "url" in warning and "http" in warning


def test_an_html_canonical_link_that_is_not_http_is_dropped(tmp_path: Path) -> None:
    html = "<html><head><link rel='canonical' href='javascript:alert(1)'></head><h1>H</h1><p>x</p>"
    article = parse_article(write(tmp_path, "h.html", html))
    assert article.url is None
    assert len(article.warnings) == 1


@pytest.mark.parametrize(
    "url", ["https://help.test/a?b=1#c", "http://help.test", "HTTPS://Help.test/x"]
)
def test_http_urls_are_kept(tmp_path: Path, url: str) -> None:
    article = parse_article(write(tmp_path, "u.md", f"---\nurl: {url}\n---\nText\n"))
    assert (article.url, article.warnings) == (url, ())


@pytest.mark.parametrize(
    ("value", "title"),
    [
        ("yes", "yes"),
        ("No", "No"),
        ("1.10", "1.10"),
        ("0x1F", "0x1F"),
        ("2024-01-01", "2024-01-01"),
        ("404", "404"),
        ("'quoted: yes'", "quoted: yes"),
    ],
)
def test_a_title_is_taken_as_written_whatever_yaml_makes_of_it(
    tmp_path: Path, value: str, title: str
) -> None:
    article = parse_article(write(tmp_path, "t.md", f"---\ntitle: {value}\n---\n# Heading\n\nx\n"))
    assert article.title == title


def test_raw_html_in_markdown_never_reaches_the_passages(tmp_path: Path) -> None:
    text = (
        "# Refunds\n\n"
        "<!-- Internal: agents can override with code 4471.\nDo not publish. -->\n"
        "Refunds are paid within 5 days.<script>alert('x')</script>\n\n"
        "<style>\n.x { color: red }\n</style>\n"
        "Annual plans<br>can be refunded <b>pro rata</b>.\n"
        '<iframe src="https://evil.test"></iframe>\n'
        "Write to <support@help.test> or see <https://help.test/refunds>.\n"
        "Type `<br>` for a line break and replace <your-order-number>.\n\n"
        "```html\n<!-- a comment in an example -->\n<script src=x></script>\n```\n"
    )
    body = parse_article(write(tmp_path, "refunds.md", text)).body
    for hidden in ("4471", "Do not publish", "alert", "color: red", "<b>", "<iframe", "evil"):
        assert hidden not in body.split("```")[0], hidden
    assert "Refunds are paid within 5 days." in body
    assert "Annual plans\ncan be refunded pro rata." in body
    assert "<support@help.test>" in body and "<https://help.test/refunds>" in body
    assert "`<br>`" in body and "<your-order-number>" in body
    assert "```html\n<!-- a comment in an example -->\n<script src=x></script>\n```" in body


def test_unclosed_script_tags_do_not_make_parsing_quadratic(tmp_path: Path) -> None:
    # 200 KB of "<script>" without a closing tag took 16 s; linear work takes milliseconds.
    # Timed in this thread's CPU time: other processes on a loaded machine stretch the wall
    # clock (0.03 s of work took 0.4 s), not the work done.
    text = "# Tags\n\n" + "<script> x " * 20_000 + "\n<style a='1' " * 5_000
    path = write(tmp_path, "tags.md", text)
    started = time.thread_time()
    body = parse_article(path).body
    assert time.thread_time() - started < 2.0
    assert body.count("x") == 20_000


def test_front_matter_without_its_closing_line_is_reported(tmp_path: Path) -> None:
    # Else "title: Refunds url: …" became the article's first passage, quoted to customers.
    text = "---\ntitle: Refunds\nurl: https://help.test/r\n\n# Refunds\n\nText.\n"
    with pytest.raises(ArticleError, match="front matter is not closed"):
        parse_article(write(tmp_path, "r.md", text))
    # A thematic break at the top is not front matter.
    article = parse_article(write(tmp_path, "s.md", "---\n\n# Shipping\n\nText.\n"))
    assert article.title == "Shipping"


def test_toml_front_matter_gives_title_and_url(tmp_path: Path) -> None:
    text = '+++\ntitle = "Refunds"\nurl = "https://help.test/r"\n+++\n# Heading\n\nText.\n'
    article = parse_article(write(tmp_path, "r.md", text))
    assert (article.title, article.url) == ("Refunds", "https://help.test/r")
    assert article.body.startswith("# Heading")
    with pytest.raises(ArticleError, match="malformed TOML front matter"):
        parse_article(write(tmp_path, "bad.md", '+++\ntitle = "x\n+++\nText\n'))


def test_a_utf16_file_with_its_bom_is_read(tmp_path: Path) -> None:
    # Windows editors save "Unicode" as UTF-16 with a byte-order mark: unambiguous, so read.
    raw = "---\r\ntitle: Remboursements\r\n---\r\n# H\r\n\r\nTexte été.\r\n"
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        article = parse_article(write(tmp_path, "w.md", bom + raw.encode(encoding)))
        assert (article.title, article.body) == ("Remboursements", "# H\n\nTexte été.\n")
    with pytest.raises(ArticleError, match="NUL bytes.*UTF-16"):  # UTF-16 without a BOM
        parse_article(write(tmp_path, "x.md", "# Refunds\n".encode("utf-16-le")))


def test_a_file_with_nul_bytes_is_reported(tmp_path: Path) -> None:
    # PostgreSQL refuses NUL in text: one such file failed the whole import batch.
    with pytest.raises(ArticleError, match="NUL"):
        parse_article(write(tmp_path, "n.md", b"# Refunds\n\nText.\x00\x00\n"))


def test_a_title_from_a_heading_has_no_markdown_markup(tmp_path: Path) -> None:
    # The title is shown as a source's link text: "Reset your **API** key" read badly.
    text = "# Reset your **API** key in [Settings](https://help.test/s)\n\nText.\n"
    assert parse_article(write(tmp_path, "k.md", text)).title == "Reset your API key in Settings"
