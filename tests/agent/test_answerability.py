"""Answerability: a capability question is answered only when the knowledge base documents
what it asks about, not merely its topic. A knowledge base of our own, written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.agent import Agent
from relaydesk.agent.answerability import (
    FILLER_TERMS,
    is_capability_question,
    name_like_words,
    undocumented_integration,
    undocumented_name_terms,
    unknown_content_terms,
    unseen_pairs,
)
from relaydesk.agent.decide import (
    GAP_PENALTY,
    PAIR_WEIGHT,
    TOLERATED_UNKNOWN,
    Evidence,
    decide,
)
from relaydesk.agent.intents import IntentSignal
from relaydesk.agent.translate import to_english
from relaydesk.db.engine import Database
from relaydesk.knowledge import Embedder, import_articles
from relaydesk.settings import Settings
from tests.agent.conftest import write_kb

GARDEN_KB: dict[str, str] = {
    "watering-reminders": """---
title: Watering reminders
url: https://help.fernly.test/watering-reminders
---
# Watering reminders

## Set a reminder

Open a plant, tap **Care > Watering**, and choose how often it needs water: every 2, 3, 7 or
14 days. Fernly sends a push notification on the morning a plant is due.

## Snooze or stop a reminder

Swipe the notification left to snooze it for one day. To stop reminders for a plant, open
**Care > Watering** and choose **Never**.
""",
    "add-a-plant": """---
title: Add a plant
url: https://help.fernly.test/add-a-plant
---
# Add a plant

Tap **+** on the Garden screen, take a photo or pick the species from the list, and give the
plant a nickname. Each garden holds up to 150 plants on the free plan.
""",
    "share-your-garden": """---
title: Share your garden
url: https://help.fernly.test/share-your-garden
---
# Share your garden

Open **Garden > Members** and invite people by email. Members can water and edit plants;
only the owner can delete the garden.
""",
    "plans": """---
title: Plans and prices
url: https://help.fernly.test/plans
---
# Plans and prices

Fernly Free covers one garden. Fernly Plus costs $3 per month and adds unlimited gardens and
plant history. Cancel any time from **Profile > Subscription**.
""",
}


@pytest.fixture
def garden_agent(settings: Settings, db: Database, tmp_path: Path, minilm: Embedder) -> Agent:
    report = import_articles(db, write_kb(tmp_path, GARDEN_KB), minilm)
    assert report.problems == []
    return Agent(settings, db, embedder=minilm)


@pytest.mark.postgres
def test_a_covered_procedural_question_is_answered(garden_agent: Agent) -> None:
    reply = garden_agent.respond("how do I set a watering reminder for my fern")
    assert reply.action == "answer", reply
    assert reply.sources[0].slug == "watering-reminders"


@pytest.mark.postgres
def test_an_uncovered_feature_on_a_covered_topic_abstains(garden_agent: Agent) -> None:
    # The topic (watering reminders) is documented; skipping them on rainy days is not.
    message = "can watering reminders skip rainy days using the weather forecast?"
    reply = garden_agent.respond(message)
    assert garden_agent.respond("how do I snooze a watering reminder").action == "answer"
    assert reply.action == "abstain", reply
    assert reply.reason == "not_covered"
    assert reply.sources == ()


@pytest.mark.postgres
def test_a_paraphrased_covered_question_is_still_answered(garden_agent: Agent) -> None:
    # "nudge" is a word the articles never use: one such word is tolerated.
    reply = garden_agent.respond("can I get a nudge when my plants need water?")
    assert reply.action == "answer", reply
    assert reply.sources[0].slug == "watering-reminders"


def test_capability_questions_are_recognised() -> None:
    assert is_capability_question("can I export my plants?")
    assert is_capability_question("Hi! Is there a dark theme")
    assert is_capability_question("does the app support tablets")
    assert is_capability_question("We have two gardens. Can they be merged?")
    assert is_capability_question("where can I see who watered last")
    assert not is_capability_question("how do I add a plant")
    assert not is_capability_question("my reminder didn't arrive this morning")


def test_unknown_content_terms_skip_known_filler_and_repeated_words() -> None:
    known = {"remind", "water"}
    terms = unknown_content_terms(
        "can I get reminders about watering and weather, weather every 3 days?", known.__contains__
    )
    assert terms == ["weather"]
    assert "get" in FILLER_TERMS and "day" in FILLER_TERMS


NONE = IntentSignal(0.0, "", 0.0, 0.0)


def test_unknown_words_weigh_only_on_capability_questions_beyond_the_tolerated_one() -> None:
    base = {"dense": 0.6, "lexical": 0.5, "uncovered": 0.0, "articles": 10}
    one = Evidence(**base, capability_question=True, unknown_terms=TOLERATED_UNKNOWN)
    three = Evidence(**base, capability_question=True, unknown_terms=TOLERATED_UNKNOWN + 2)
    how_to = Evidence(**base, capability_question=False, unknown_terms=TOLERATED_UNKNOWN + 2)
    assert one.gap == 0.0
    assert three.gap == pytest.approx(2 * GAP_PENALTY)
    assert how_to.gap == 0.0
    assert three.answerability == pytest.approx(one.answerability - 2 * GAP_PENALTY)
    assert decide(NONE, one).action == "answer"
    assert decide(NONE, three).action == "abstain"


def test_unseen_pairs_are_documented_words_no_passage_uses_together() -> None:
    passages = [{"export", "csv"}, {"calendar", "due"}, {"googl", "drive"}]
    known = set().union(*passages)

    def together(a: str, b: str) -> bool:
        return any(a in p and b in p for p in passages)

    pairs = unseen_pairs("can I sync due dates to google calendar", known.__contains__, together)
    assert pairs == [("googl", "calendar")]  # "sync" and "date" are unknown: not pairs
    assert unseen_pairs("export to csv", known.__contains__, together) == []


def test_an_unseen_pair_counts_half_an_unknown_word() -> None:
    base = {"dense": 0.6, "lexical": 0.5, "uncovered": 0.0, "articles": 10}
    evidence = Evidence(**base, capability_question=True, unknown_terms=1, unseen_pairs=2)
    assert evidence.gap == pytest.approx(GAP_PENALTY * 2 * PAIR_WEIGHT)


@pytest.mark.postgres
def test_the_index_tells_whether_two_terms_share_a_passage(garden_agent: Agent) -> None:
    from relaydesk.knowledge.bm25 import tokenize

    index = garden_agent.index
    water, remind, snooze, price, nothing = tokenize("watering reminder snooze prices zebra")
    assert index.terms_share_a_passage(water, remind)
    assert index.terms_share_a_passage(remind, water)
    assert not index.terms_share_a_passage(snooze, price)  # both used, never together
    assert not index.terms_share_a_passage(water, nothing)  # "zebra" is never used


def test_a_name_with_an_undocumented_word_hides_its_documented_words() -> None:
    known = {"cloud", "sync", "team", "export", "slack", "plan"}.__contains__
    # "Acme" is never used: "Acme Cloud Sync" is one undocumented thing, not clouds and syncing.
    assert undocumented_name_terms("can I connect to Acme Cloud Sync?", known) == {"cloud", "sync"}
    # A name the knowledge base uses whole, or one no word of which it uses, changes nothing.
    assert undocumented_name_terms("does Slack Team work with exports", known) == frozenset()
    assert undocumented_name_terms("Tom Baker left the team", known) == frozenset()
    # Single capitalised words and a sentence's first word alone are not names.
    assert undocumented_name_terms("Team plan: can Zorg export?", known) == frozenset()


def test_names_break_at_stop_words_filler_punctuation_and_numbers() -> None:
    known = {"team", "export", "plan", "project"}.__contains__
    assert undocumented_name_terms("Hi Team, how do I export?", known) == frozenset()
    assert undocumented_name_terms("Zorg, Team and Export", known) == frozenset()
    assert undocumented_name_terms("Zorg 9 Export", known) == frozenset()
    # Title case and shouting say nothing about names.
    assert undocumented_name_terms("How Do I Export Zorg Project Plans", known) == frozenset()
    assert undocumented_name_terms("EXPORT ZORG PROJECT", known) == frozenset()


def test_a_name_in_another_language_is_judged_by_its_english_rendering() -> None:
    known = {"team", "connect", "calendar"}.__contains__
    text = "Kann ich Taskflow mit Zorg Teams verbinden?"

    def render(words: str) -> str:
        return to_english(words, "de")

    assert undocumented_name_terms(text, known, render) == {"team"}


@pytest.mark.postgres
def test_a_capability_question_about_an_undocumented_product_abstains(
    garden_agent: Agent,
) -> None:
    # The garden articles document members and gardens, never a product called "Verdant".
    reply = garden_agent.respond("can I share my garden with Verdant Members?")
    assert reply.action == "abstain", reply
    assert garden_agent.respond("can I share my garden with members?").action == "answer"


def test_name_like_words_are_told_by_their_spelling() -> None:
    is_name = name_like_words(
        "¿Puedo emitir facturas CFDI para clientes en México con Tallybook? Gracias. B2B 1099s"
    )
    assert [w for w in ("CFDI", "México", "Tallybook?", "B2B", "1099s") if is_name(w)] == [
        "CFDI",
        "México",
        "Tallybook?",
        "B2B",
        "1099s",
    ]
    # ordinary words, and capitals that only start a sentence
    assert not any(is_name(w) for w in ("emitir", "facturas", "Puedo", "Gracias", "clientes"))


KNOWN = {"connect", "bank", "slack", "import", "csv", "file", "export", "invoic", "note"}


@pytest.mark.parametrize(
    ("question", "target"),
    [
        ("how do I connect Tallybook to Zapier", "Zapier"),
        ("can we sync our invoices with Xero?", "Xero"),
        ("do you integrate with Gusto for payroll", "Gusto"),
        ("how do I bring my old invoices over from QuickBooks", "QuickBooks"),
        ("export my notes into Evernote", "Evernote"),
    ],
)
def test_an_integration_with_an_undocumented_product_is_found(question: str, target: str) -> None:
    assert undocumented_integration(question, KNOWN.__contains__) == target


@pytest.mark.parametrize(
    "question",
    [
        "how do I connect my bank to Slack",  # documented
        "how do I import a csv file",  # no product named
        "moving over from excel, can I import our tasks",  # not a capitalised name
        "transfer ownership to Priya",  # a person, and not an integration verb
        "I want to send coffee to my Dad",
    ],
)
def test_other_questions_name_no_undocumented_integration(question: str) -> None:
    assert undocumented_integration(question, KNOWN.__contains__) is None


def test_two_documented_words_never_used_together_are_an_undocumented_product() -> None:
    known = {"sync", "task", "due", "date", "googl", "calendar", "drive", "anoth", "project"}
    together = {("due", "date"), ("googl", "drive"), ("calendar", "task")}

    def share(first: str, second: str) -> bool:
        return (first, second) in together or (second, first) in together

    question = "can I sync task due dates to google calendar"
    assert undocumented_integration(question, known.__contains__, share) == "google calendar"
    assert undocumented_integration("sync to google drive", known.__contains__, share) is None
    # "another" says which project, not what product
    moved = "can I link a task to another project"
    assert undocumented_integration(moved, known.__contains__, share) is None
