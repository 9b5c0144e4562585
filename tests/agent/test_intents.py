"""Handoff intent: patterns in five languages, similarity to generic examples, hard negatives."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.agent.intents import HandoffDetector, match_patterns
from relaydesk.knowledge import Embedder, HashingEmbedder

ASKS_FOR_A_PERSON = [
    "can I speak to someone real",
    "I want to talk to a human being",
    "connect me with an actual person please",
    "please escalate this",
    "get me a supervisor",
    "agent",
    "representative please",
    "this bot is useless",
    "you're not helping",
    "I'd rather not chat with a bot, is there a phone number I can call?",
    "I need someone to look at my account today",
    "quiero hablar con una persona",
    "pásame con un agente, por favor",
    "je veux parler à un conseiller",
    "ça ne m'aide pas du tout",
    "ich möchte mit einem Mitarbeiter sprechen",
    "das hilft mir nicht",
    "quero falar com um atendente",
    "isso não está me ajudando",
]

NEEDS_A_PERSON = [
    "I'm going to file a chargeback with my bank",
    "my lawyer will be in touch about this",
    "there's a fraudulent charge from you on my statement",
    "my account was hacked yesterday",
    "order 88231 was charged twice, that's wrong",
    "my father passed away and I need to close his account",
    "we were double charged this month",
    "How do I contact support?",
    "I need to talk to sales about a custom contract",
    "is there a person I could email about this",
    "your app deleted all my photos",
    "I think someone is using my login",
    "el sistema no funciona para nadie desde esta mañana",
    "quelqu'un a changé mon mot de passe et je ne peux plus me connecter",
    "unser Konto wurde gehackt",
    "a plataforma está fora do ar",
    "your grinder sparked and burned my hand",
    "someone ordered coffee with my account, I didn't do this",
    "I'm disputing this with my bank",
    "I never ordered this",
]

ORDINARY_QUESTIONS = [
    "how do I assign a task to a person on my team",
    "our support agents get requests by email, can those become notes?",
    "can a manager approve requests before they are published",
    "how do I give someone on my team edit rights",
    "how do I add a person to my notebook",
    "how do I get a manager to sign off on a document",
    "what's the refund policy for yearly plans",
    "how do I reset my password",
    "is there an Android app",
    "is there a person field for tasks",
    "how do I contact the workspace owner",
    "how do I email a task to someone on my team",
    "my invoice shows the wrong company name, how do I change it",
    "my coffee tastes burnt",
    "how do I give someone access to my account",
    "I did this last week, how do I undo it",
]


@pytest.mark.parametrize("text", ASKS_FOR_A_PERSON + NEEDS_A_PERSON)
def test_patterns_catch_requests_for_a_person_and_matters_for_one(text: str) -> None:
    strength, reason = match_patterns(text)
    assert strength >= 0.8, (text, reason)
    assert reason


@pytest.mark.parametrize("text", ORDINARY_QUESTIONS)
def test_patterns_leave_ordinary_questions_alone(text: str) -> None:
    strength, _ = match_patterns(text)
    assert strength < 0.5, text


@pytest.fixture(scope="module")
def detector(minilm: Embedder, tmp_path_factory: pytest.TempPathFactory) -> HandoffDetector:
    return HandoffDetector(minilm, cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.mark.parametrize(
    "text",
    [
        "all of our records vanished after your last update",
        "nothing works for any of us since this morning, the site just errors",
        "someone got into my account and changed the email on it",
        "I've explained my problem over and over and still nothing",
    ],
)
def test_similarity_finds_paraphrases_without_keywords(
    detector: HandoffDetector, minilm: Embedder, text: str
) -> None:
    signal = detector.assess(text, minilm.embed([text])[0])
    assert signal.needs_person, signal


@pytest.mark.parametrize("text", ORDINARY_QUESTIONS)
def test_similarity_keeps_hard_negatives_on_the_answer_side(
    detector: HandoffDetector, minilm: Embedder, text: str
) -> None:
    signal = detector.assess(text, minilm.embed([text])[0])
    assert not signal.needs_person, signal


def test_example_vectors_of_other_models_are_cached_in_the_data_dir(tmp_path: Path) -> None:
    hashing = HashingEmbedder()
    HandoffDetector(hashing, cache_dir=tmp_path)
    cached = list(tmp_path.glob("intents-*.npy"))
    assert len(cached) == 1
    calls = hashing.calls
    again = HandoffDetector(hashing, cache_dir=tmp_path)  # reads the cache
    assert hashing.calls == calls
    text = "let me talk to a person"
    assert again.assess(text, hashing.embed([text])[0]).pattern == 1.0


def test_packaged_example_vectors_match_the_examples_and_the_model(minilm: Embedder) -> None:
    """If this fails, the examples changed: regenerate with
    `python -c "from relaydesk.agent.intents import write_packaged_vectors as w; from relaydesk.knowledge import load_embedder; from relaydesk.settings import Settings; w(load_embedder(Settings()))"`.
    """
    import numpy as np

    from relaydesk.agent.intents import PACKAGED_VECTORS, exemplar_texts, vectors_file_name

    path = PACKAGED_VECTORS / vectors_file_name(minilm.name, exemplar_texts())
    assert path.is_file()
    shipped = np.load(path).astype(np.float32)
    fresh = minilm.embed(exemplar_texts()[:5])
    assert np.allclose(shipped[:5], fresh, atol=2e-3)
