"""End to end through Agent: a real database, the real model, our own small knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.agent import Agent, build_agent
from relaydesk.db.engine import Database
from relaydesk.errors import InvalidInput, MessageTooLong
from relaydesk.knowledge import Embedder, import_articles
from relaydesk.settings import Settings
from tests.agent.conftest import write_kb

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(
    ("message", "slug", "fact"),
    [
        ("how long does the password reset link work", "reset-your-password", "45 minutes"),
        ("I'm locked out after too many tries", "reset-your-password", "20 minutes"),
        ("can I get my money back on a yearly plan", "refunds", "21 days"),
        ("how do I download all my notes as pdf", "export-your-notes", "Settings > Data > Export"),
        ("how many people can I share a notebook with", "share-a-notebook", "12"),
        ("how do I let a person on my team edit my notebook", "share-a-notebook", "Editor"),
        ("does the app work on android 10", "mobile-app", "Android 11"),
    ],
)
def test_answers_with_its_source_and_the_facts(
    agent: Agent, message: str, slug: str, fact: str
) -> None:
    reply = agent.respond(message)
    assert reply.action == "answer", reply
    assert reply.sources[0].slug == slug
    assert reply.sources[0].url == f"https://help.lumen.test/{slug}"
    assert fact.lower() in reply.answer.lower()
    assert 0.5 <= reply.confidence <= 1.0
    assert reply.language == "en"


@pytest.mark.parametrize(
    "message",
    [
        "can I talk to a real person",
        "this bot is useless",
        "I was charged twice for order 55120, please fix it",
        "quiero hablar con una persona",
        "ich möchte mit einem Mitarbeiter sprechen",
    ],
)
def test_hands_off(agent: Agent, message: str) -> None:
    reply = agent.respond(message)
    assert reply.action == "handoff", reply
    assert reply.sources == ()
    assert reply.reason


@pytest.mark.parametrize(
    "message", ["is there a Jira integration", "do you support SAML single sign-on with Okta"]
)
def test_abstains_when_the_kb_does_not_cover_it(agent: Agent, message: str) -> None:
    reply = agent.respond(message)
    assert reply.action == "abstain", reply
    assert reply.sources == ()
    assert "person" in reply.answer  # offers the escalation path


def test_answers_a_spanish_question_from_the_english_kb(agent: Agent) -> None:
    reply = agent.respond("¿Cómo exporto mis notas?")
    assert reply.action == "answer", reply
    assert reply.language == "es"
    assert reply.sources[0].slug == "export-your-notes"
    assert "Settings > Data > Export" in reply.answer


@pytest.mark.parametrize(
    ("message", "slug"),
    [
        ("how long does the pasword reset link work", "reset-your-password"),
        ("how long does the reset link for my passwrod work", "reset-your-password"),
        ("can I get my money back on a yearly subscripton", "refunds"),
        ("forgot pw", "reset-your-password"),  # chat shorthand
    ],
)
def test_a_misspelt_word_is_read_as_the_word_the_articles_use(
    agent: Agent, message: str, slug: str
) -> None:
    reply = agent.respond(message)
    assert reply.action == "answer", reply
    assert reply.sources[0].slug == slug


@pytest.mark.parametrize(
    "message",
    [
        "¿Puedo todavía exportar mis notas viejas?",
        "Puis-je encore exporter mes anciennes notes ?",
        "Posso baixar todas as notas antigas em PDF?",
    ],
)
def test_words_the_glossary_cannot_translate_are_not_taken_for_missing_topics(
    agent: Agent, message: str
) -> None:
    reply = agent.respond(message)
    assert reply.action == "answer", reply
    assert reply.sources[0].slug == "export-your-notes"


@pytest.mark.parametrize(
    "message",
    ["¿Puedo conectar mis notas con Evernote?", "Posso importar notas do Evernote?"],
)
def test_a_name_the_articles_never_use_still_counts_in_another_language(
    agent: Agent, message: str
) -> None:
    assert agent.respond(message).action == "abstain"


def test_bad_messages_raise_clear_errors(agent: Agent) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        agent.respond("   ")
    with pytest.raises(MessageTooLong, match="4000"):
        agent.respond("x" * 4001)
    assert agent.respond("y" * 3990 + " refund").action in ("answer", "abstain", "handoff")


def test_an_empty_knowledge_base_abstains_with_a_clear_reason(
    settings: Settings, db: Database, minilm: Embedder
) -> None:
    agent = Agent(settings, db, embedder=minilm)
    reply = agent.respond("how do I reset my password")
    assert (reply.action, reply.reason) == ("abstain", "empty_knowledge_base")
    assert "no help articles" in reply.answer


def test_reload_sees_a_new_import(
    settings: Settings, db: Database, minilm: Embedder, tmp_path: Path
) -> None:
    agent = Agent(settings, db, embedder=minilm)
    assert agent.respond("how long is the export link valid").action == "abstain"
    import_articles(db, write_kb(tmp_path), minilm)
    agent.reload()
    reply = agent.respond("how long is the export link valid")
    assert reply.action == "answer"
    assert "48 hours" in reply.answer


def test_repeating_the_same_question_hands_off(agent: Agent) -> None:
    history = [("visitor", "how do I export"), ("ai", "Open Settings > Data > Export…")]
    assert agent.respond("how do I export", history=history).action == "handoff"


def test_build_agent_uses_the_configured_embedder(
    settings: Settings, db: Database, kb_dir: Path
) -> None:
    hashing = settings.model_copy(update={"embedding_backend": "hashing"})
    agent = build_agent(hashing, db)
    assert agent.respond("talk to a human").action == "handoff"


def test_to_json_has_the_jsonl_shape(agent: Agent) -> None:
    data = agent.respond("how long does the password reset link work").to_json()
    assert list(data) == ["action", "answer", "sources", "confidence", "language"]
    assert list(data["sources"][0]) == ["slug", "title", "url", "score"]


def test_respond_is_thread_safe(agent: Agent) -> None:
    from concurrent.futures import ThreadPoolExecutor

    messages = [
        "how long does the password reset link work",
        "talk to a human",
        "is there a Jira integration",
        "how do I download all my notes as pdf",
    ] * 3
    expected = [agent.respond(m) for m in messages]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(agent.respond, messages))
    assert [(r.action, r.sources[:1]) for r in got] == [(r.action, r.sources[:1]) for r in expected]
