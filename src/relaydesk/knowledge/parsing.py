"""Read one article file (Markdown or HTML, optional YAML or TOML front matter) into a
ParsedArticle.

HTML is turned into the same Markdown-like text (``#`` headings, ``-`` list items, paragraphs)
so one chunker serves both; raw HTML inside Markdown is taken out (``strip_raw_html``). A url
that is not an absolute http(s) address never reaches customers (``check_url``). A file that
cannot be read raises ``ArticleError`` with the reason.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import tomllib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from relaydesk.knowledge.chunking import plain_text

ARTICLE_SUFFIXES = (".md", ".markdown", ".html", ".htm")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_TOML_FRONT_MATTER = re.compile(
    r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE
)
# An opening "---" followed by "key: value" but no closing line: front matter left open.
_UNCLOSED_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n[A-Za-z_][\w-]*[ \t]*[:=]")
_ATX_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")


# Raw HTML in Markdown, which a help center renders (or hides) and customers never read as
# text: comments (authors' internal notes), elements whose content is not text, and tags of
# known HTML elements. An autolink (<https://…>, <a@b.test>) or a placeholder (<order-id>)
# is not a tag and stays; so does everything in code.
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_HIDDEN_OPEN = re.compile(
    r"<(script|style|template|noscript|iframe|object|svg|head)\b[^<>]*>", re.IGNORECASE
)
_HTML_TAGS = (
    "a|abbr|address|article|aside|audio|b|base|bdi|bdo|big|blockquote|body|br|button|canvas|"
    "caption|center|cite|code|col|colgroup|dd|del|details|dfn|dialog|div|dl|dt|em|embed|"
    "fieldset|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|"
    "input|ins|kbd|label|legend|li|link|main|mark|meta|meter|nav|noscript|object|ol|optgroup|"
    "option|output|p|param|picture|pre|progress|q|rp|rt|ruby|s|samp|script|section|select|"
    "small|source|span|strike|strong|style|sub|summary|sup|svg|table|tbody|td|template|"
    "textarea|tfoot|th|thead|time|title|tr|track|tt|u|ul|var|video|wbr"
)
_LINE_BREAK_TAG = re.compile(r"<(?:br|hr)\s*/?>", re.IGNORECASE)
_HTML_TAG = re.compile(rf"</?(?:{_HTML_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+)[^`\n]+?\1")


def _drop_hidden_elements(text: str) -> str:
    """Remove script/style/… elements with their content; an unclosed one only loses its tag.

    A scan, not one regular expression: ``<(script)…>.*?</\1>`` searches to the end of the
    text for each unclosed tag, which made a file of many of them take minutes.
    """
    out: list[str] = []
    pos = 0
    unclosed: set[str] = set()
    while match := _HIDDEN_OPEN.search(text, pos):
        name = match.group(1).lower()
        close = None
        if name not in unclosed:
            close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, match.end())
        if close is None:  # no closing tag after here: none after any later opening either
            unclosed.add(name)
            out.append(text[pos : match.start()])
            pos = match.end()
            continue
        out.append(text[pos : match.start()])
        pos = close.end()
    out.append(text[pos:])
    return "".join(out)


def _strip_html_outside_code(text: str) -> str:
    spans: list[str] = []

    def keep(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"\x00{len(spans) - 1}\x00"

    text = _CODE_SPAN.sub(keep, text)
    text = _HTML_COMMENT.sub("", text)
    text = _drop_hidden_elements(text)
    text = _LINE_BREAK_TAG.sub("\n", text)
    text = _HTML_TAG.sub("", text)
    return re.sub("\x00(\\d+)\x00", lambda m: spans[int(m.group(1))], text)


def strip_raw_html(markdown: str) -> str:
    """Return markdown without its raw HTML: comments and script/style/iframe elements go
    whole, other tags leave their text; fenced code blocks and code spans are kept as they are.
    """
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        marker = line.lstrip()[:3]
        if fence is None and marker in ("```", "~~~"):
            if prose:
                out.append(_strip_html_outside_code("\n".join(prose)))
                prose = []
            fence = marker
            out.append(line)
        elif fence is not None:
            out.append(line)
            if marker == fence:
                fence = None
        else:
            prose.append(line)
    if prose:
        out.append(_strip_html_outside_code("\n".join(prose)))
    return "\n".join(out)


#: What the articles table holds (``db.models.knowledge.Article``): a longer title is cut,
#: a longer url dropped, so PostgreSQL never refuses a batch over one article.
MAX_TITLE_CHARS = 500
MAX_URL_CHARS = 2000


class ArticleError(ValueError):
    """An article file that cannot be imported; the message says why."""


@dataclass(frozen=True)
class ParsedArticle:
    """An article as read from its file: Markdown body without front matter.

    ``warnings`` says what was ignored in a file that still imports (a url that is not an
    http(s) link).
    """

    slug: str
    title: str
    url: str | None
    body: str
    source_path: str
    content_hash: str
    warnings: tuple[str, ...] = ()


def slug_for(path: Path) -> str:
    """Return the slug of an article file: its name without the extension."""
    return path.stem


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Split YAML (``---``) or TOML (``+++``) front matter off text; raise ArticleError when
    it is malformed or not closed."""
    toml_match = _TOML_FRONT_MATTER.match(text)
    if toml_match:
        try:
            toml_data = tomllib.loads(toml_match.group(1))
        except tomllib.TOMLDecodeError as exc:
            raise ArticleError(f"malformed TOML front matter: {exc}") from exc
        return dict(toml_data), text[toml_match.end() :]
    match = _FRONT_MATTER.match(text)
    if not match:
        if _UNCLOSED_FRONT_MATTER.match(text):
            closing = "+++" if text.startswith("+") else "---"
            raise ArticleError(
                f"front matter is not closed: add a line {closing!r} after its last key"
            )
        return {}, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ArticleError(f"malformed YAML front matter{where}: {problem}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ArticleError("malformed YAML front matter: expected a mapping of keys to values")
    # A scalar YAML turned into a bool, number or date (``title: yes``, ``title: 1.10``) is
    # taken as written, not as "True" or "1.1".
    raw = yaml.load(match.group(1), Loader=yaml.BaseLoader)  # BaseLoader: plain strings only
    meta: dict[str, object] = {}
    for key, value in data.items():
        written = raw.get(key) if isinstance(key, str) and isinstance(raw, dict) else None
        typed = value is not None and not isinstance(value, (str, dict, list))
        meta[str(key)] = written if typed and isinstance(written, str) else value
    return meta, text[match.end() :]


def _optional_str(meta: dict[str, object], key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise ArticleError(f"front matter {key!r} must be a single value")
    text = str(value).strip()
    return text or None


def check_url(url: str) -> str | None:
    """Return why url cannot be an article's link, or None when it is an absolute http(s) URL.

    The url is shown to customers as a link (widget, tickets, Freshchat transcripts), so
    anything else (``javascript:``, ``data:``, a relative path, a bare host name) is refused.
    """
    if len(url) > MAX_URL_CHARS:
        return f"it is longer than {MAX_URL_CHARS:,} characters"
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "it contains spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "it is not a valid URL"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "it is not an absolute http:// or https:// address"
    return None


def _safe_url(url: str | None, warnings: list[str]) -> str | None:
    if url is None:
        return None
    reason = check_url(url)
    if reason is None:
        return url
    shown = url if len(url) <= 80 else url[:77] + "..."
    warnings.append(f"url ignored: {shown!r}: {reason}; the article is imported without a link")
    return None


def first_heading(markdown: str) -> str | None:
    """Return the text of the first Markdown heading in markdown, preferring a level-1 one."""
    first: str | None = None
    in_fence = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        match = None if in_fence else _ATX_HEADING.match(line)
        if match:
            if len(match.group(1)) == 1:
                return match.group(2).strip()
            first = first or match.group(2).strip()
    return first


class _HtmlToMarkdown(HTMLParser):
    """Turn HTML into Markdown-like text: headings, list items and paragraphs."""

    _SKIP = {"script", "style", "head", "nav", "footer", "template", "noscript", "svg"}
    _BLOCK = {
        "p",
        "div",
        "section",
        "article",
        "main",
        "table",
        "tr",
        "ul",
        "ol",
        "pre",
        "blockquote",
        "dl",
        "dt",
        "dd",
        "header",
        "aside",
        "figure",
        "br",
        "hr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self.canonical: str | None = None
        self._skip = 0
        self._in_title = False
        self._title_parts: list[str] = []
        self._heading: int | None = None
        self._list_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "link" and (attr.get("rel") or "").lower() == "canonical" and attr.get("href"):
            self.canonical = attr["href"]
        elif tag == "meta" and (attr.get("name") or "").lower() == "url" and attr.get("content"):
            self.canonical = self.canonical or attr["content"]
        if tag in self._SKIP:
            self._skip += 1
            return
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = int(tag[1])
            self.parts.append("\n\n" + "#" * self._heading + " ")
        elif tag == "li":
            self.parts.append("\n" + "  " * max(self._list_depth - 1, 0) + "- ")
        elif tag in ("ul", "ol"):
            self._list_depth += 1
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        elif tag in self._BLOCK:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            self.title = " ".join("".join(self._title_parts).split()) or None
        if tag in self._SKIP:
            self._skip = max(self._skip - 1, 0)
            return
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = None
            self.parts.append("\n\n")
        elif tag in ("ul", "ol"):
            self._list_depth = max(self._list_depth - 1, 0)
            self.parts.append("\n")
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)
            return
        if self._skip:
            return
        text = re.sub(r"\s+", " ", data)
        if self._heading is not None:
            text = text.replace("\n", " ")
        self.parts.append(text)

    def markdown(self) -> str:
        lines = [line.strip() for line in "".join(self.parts).splitlines()]
        text = "\n".join(lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def html_to_markdown(html: str) -> tuple[str, str | None, str | None]:
    """Return (markdown, <title>, canonical url) of an HTML document."""
    parser = _HtmlToMarkdown()
    parser.feed(html)
    parser.close()
    return parser.markdown(), parser.title, parser.canonical


def _utf16_text(data: bytes) -> str | None:
    """Return data decoded as UTF-16 when it starts with a UTF-16 byte-order mark (Windows
    editors' "Unicode") and reads as lines of text; else None."""
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        return None
    return text if "\n" in text else None


def parse_article(path: Path, *, raw: bytes | None = None) -> ParsedArticle:
    """Read the article at path; raise ArticleError when it cannot be imported."""
    data = path.read_bytes() if raw is None else raw
    text = _utf16_text(data)
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ArticleError(f"not valid UTF-8 (byte {exc.start})") from exc
    if "\x00" in text:  # PostgreSQL cannot store it; an article never holds it
        raise ArticleError(
            "contains NUL bytes: a binary file, or text saved as UTF-16 without a byte-order "
            "mark (save it as UTF-8)"
        )
    text = text.replace("\r\n", "\n")
    meta, body = split_front_matter(text)
    html_title: str | None = None
    html_url: str | None = None
    if path.suffix.lower() in (".html", ".htm"):
        body, html_title, html_url = html_to_markdown(body)
    else:
        body = strip_raw_html(body)
    slug = slug_for(path)
    heading = first_heading(body)
    # A heading's Markdown (**bold**, `code`, [links](…)) is not part of the title customers see.
    heading_title = plain_text(heading) if heading else None
    title = _optional_str(meta, "title") or heading_title or html_title or slug
    warnings: list[str] = []
    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1].rstrip() + "…"
        warnings.append(f"title cut to {MAX_TITLE_CHARS} characters")
    url = _safe_url(_optional_str(meta, "url") or html_url, warnings)
    if not body.strip() and not _optional_str(meta, "title"):
        raise ArticleError("the article is empty")
    digest = hashlib.sha256(data).hexdigest()
    return ParsedArticle(
        slug=slug,
        title=title,
        url=url,
        body=body,
        source_path=str(path),
        content_hash=digest,
        warnings=tuple(warnings),
    )
