from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from relaydesk.knowledge.chunking import _ATX_HEADING, chunk_markdown, plain_text

ARTICLE = """# Billing

Intro text.

## Invoices

Find them under **Settings > Billing**.

### Download a PDF

Click [Download](https://x.test/dl).

## Refunds
## Payment methods

Cards and PayPal.
"""


def test_passages_keep_their_heading_path() -> None:
    chunks = chunk_markdown(ARTICLE)
    assert [(c.heading_path, c.text) for c in chunks] == [
        (("Billing",), "Intro text."),
        (("Billing", "Invoices"), "Find them under **Settings > Billing**."),
        (("Billing", "Invoices", "Download a PDF"), "Click [Download](https://x.test/dl)."),
        (("Billing", "Payment methods"), "Cards and PayPal."),
    ]


def test_headings_inside_code_fences_are_text() -> None:
    chunks = chunk_markdown("# A\n\n```\n# not a heading\n```\n")
    assert len(chunks) == 1
    assert "# not a heading" in chunks[0].text


def test_long_sections_are_cut_at_paragraphs() -> None:
    paragraphs = [" ".join(f"w{p}x{i}" for i in range(60)) for p in range(5)]
    chunks = chunk_markdown("# Long\n\n" + "\n\n".join(paragraphs), max_words=130)
    assert len(chunks) == 3
    assert all(c.heading_path == ("Long",) for c in chunks)
    assert all(len(c.text.split()) <= 130 for c in chunks)


def test_plain_text_drops_markup() -> None:
    assert plain_text("Click **Save** or [here](https://x).\n|---|---|") == "Click Save or here."


def test_headings_only_article_keeps_one_passage() -> None:
    chunks = chunk_markdown("# Title\n## Sub\n")
    assert [c.heading_path for c in chunks] == [("Title", "Sub")]


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400))
def test_chunking_never_loses_words(text: str) -> None:
    chunks = chunk_markdown(text, max_words=20)
    words_in = sorted(
        w for line in text.splitlines() if not _ATX_HEADING.match(line) for w in line.split()
    )
    words_out = sorted(w for c in chunks for w in c.text.split())
    if not any(line.lstrip().startswith(("```", "~~~")) for line in text.splitlines()):
        headings_only = not words_in
        assert words_out == words_in or headings_only


def test_plain_text_drops_link_targets_that_hold_parentheses() -> None:
    text = (
        "See [the policy](https://en.wikipedia.org/wiki/Refund_(finance)) or "
        '[ask us](javascript:alert(1) "Ask") today.'
    )
    assert plain_text(text) == "See the policy or ask us today."
