from __future__ import annotations

from relaydesk.agent.compose import MAX_ANSWER_CHARS, compose_answer, select_sources
from relaydesk.knowledge import ArticleHit, PassageHit


def passage(slug: str, heading: str, text: str, score: float, position: int = 0) -> PassageHit:
    return PassageHit(
        passage_id=f"{slug}-{heading}",
        slug=slug,
        title=slug.replace("-", " ").title(),
        url=f"https://help.test/{slug}",
        heading_path=(slug.replace("-", " ").title(), heading),
        text=text,
        score=score,
        dense=score,
        lexical=0.5,
        position=position,
    )


def article(slug: str, score: float, *passages: PassageHit) -> ArticleHit:
    return ArticleHit(
        slug=slug,
        title=slug.replace("-", " ").title(),
        url=f"https://help.test/{slug}",
        score=score,
        dense=passages[0].dense,
        lexical=0.5,
        passages=passages,
    )


STEPS = "1. Go to **Settings > Billing**.\n2. Click **Request refund**.\n3. Choose a reason."


def test_answer_keeps_numbers_menu_paths_and_steps() -> None:
    hits = [
        article(
            "refunds",
            0.9,
            passage("refunds", "Yearly plans", "Yearly plans are refunded within 21 days.", 0.8),
            passage("refunds", "How to request", STEPS, 0.7),
        ),
        article("billing", 0.85, passage("billing", "Invoices", "Invoices are monthly.", 0.7)),
    ]
    composed = compose_answer("how do I get a refund on a yearly plan", hits)
    assert composed is not None
    assert "21 days" in composed.text
    assert "Settings > Billing" in composed.text  # emphasis markers are removed
    assert "1. Go to" in composed.text and "3. Choose a reason." in composed.text
    assert "**" not in composed.text
    assert [s.slug for s in composed.sources] == ["refunds", "billing"]
    assert composed.sources[0].url == "https://help.test/refunds"


def test_far_runners_up_are_not_cited() -> None:
    hits = [
        article("a", 0.9, passage("a", "x", "text a", 0.9)),
        article("b", 0.5, passage("b", "y", "text b", 0.5)),
    ]
    assert [s.slug for s in select_sources(hits)] == ["a"]


def test_a_long_passage_is_cut_to_the_blocks_that_match() -> None:
    filler = "\n\n".join(f"Paragraph {i} talks about colours and themes." for i in range(40))
    text = filler + "\n\nThe export link stays valid for 48 hours."
    hits = [article("export", 0.9, passage("export", "Export", text, 0.9))]
    composed = compose_answer("how long is the export link valid", hits)
    assert composed is not None
    assert "48 hours" in composed.text
    assert len(composed.text) <= MAX_ANSWER_CHARS + 10


def test_nothing_to_compose_without_hits() -> None:
    assert compose_answer("anything", []) is None


RECURRING = (
    passage("recurring", "Good to know", "Reminders work on recurring invoices too.", 0.62, 3),
    passage("recurring", "Recurring invoices", "Bill clients on a schedule.", 0.6, 0),
    passage("recurring", "Set up", "1. Go to **Invoices > Recurring > New**.", 0.58, 1),
)


def test_a_one_word_question_quotes_the_article_in_its_own_order() -> None:
    text = compose_answer("recurring?", [article("recurring", 0.8, *RECURRING)])
    assert text is not None
    assert text.text.index("Bill clients") < text.text.index("Go to") < text.text.index("Remind")


def test_a_longer_question_quotes_the_best_passage_first() -> None:
    question = "do payment reminders work on recurring invoices as well"
    text = compose_answer(question, [article("recurring", 0.8, *RECURRING)])
    assert text is not None
    assert text.text.index("Reminders work") < text.text.index("Bill clients")
