from __future__ import annotations

from relaydesk.agent.decide import ANSWER_THRESHOLD, TARGET_PENALTY, Evidence, decide
from relaydesk.agent.intents import IntentSignal

NONE = IntentSignal(0.0, "", 0.0, 0.0)


def evidence(dense: float, uncovered: float = 0.0, articles: int = 10) -> Evidence:
    return Evidence(dense=dense, lexical=0.5, uncovered=uncovered, articles=articles)


def test_a_well_covered_question_is_answered() -> None:
    decision = decide(NONE, evidence(0.7))
    assert decision.action == "answer"
    assert decision.confidence > 0.9


def test_a_question_on_words_the_kb_never_uses_abstains() -> None:
    decision = decide(NONE, Evidence(0.45, 0.5, uncovered=0.3, articles=10, rare_unknown=2))
    assert decision.action == "abstain"
    assert decision.reason == "not_covered"


def test_confidence_is_one_half_at_the_threshold_and_monotonic() -> None:
    assert abs(evidence(ANSWER_THRESHOLD).answer_confidence - 0.5) < 1e-9
    values = [evidence(d / 100).answer_confidence for d in range(0, 100, 5)]
    assert values == sorted(values)
    assert all(0.0 <= v <= 1.0 for v in values)


def test_a_decisive_pattern_hands_off_even_when_the_kb_matches() -> None:
    intent = IntentSignal(1.0, "asked_for_person", 1.0, 0.0)
    decision = decide(intent, evidence(0.9))
    assert (decision.action, decision.reason) == ("handoff", "asked_for_person")


def test_similarity_only_intent_must_beat_a_well_answered_question() -> None:
    moderate = IntentSignal(0.6, "account_compromised", 0.0, 0.6)
    assert decide(moderate, evidence(0.2)).action == "handoff"
    assert decide(moderate, evidence(0.8)).action == "answer"
    strong = IntentSignal(1.0, "data_loss", 0.0, 1.0)
    assert decide(strong, evidence(0.8)).action == "handoff"


def test_an_empty_knowledge_base_abstains_with_its_reason() -> None:
    decision = decide(NONE, None)
    assert (decision.action, decision.reason) == ("abstain", "empty_knowledge_base")
    assert decide(IntentSignal(1.0, "asked_for_person", 1.0, 0.0), None).action == "handoff"


def test_existence_questions_need_stronger_evidence() -> None:
    from relaydesk.agent.decide import is_existence_question

    assert is_existence_question("is there a desktop app?")
    assert is_existence_question("Does the product support SSO")
    assert not is_existence_question("how do I export my notes")
    plain = Evidence(ANSWER_THRESHOLD + 0.1, 0.5, 0.0, 10)
    asked = Evidence(ANSWER_THRESHOLD + 0.1, 0.5, 0.0, 10, existence_question=True)
    assert decide(NONE, plain).action == "answer"
    assert decide(NONE, asked).action == "abstain"


def test_an_undocumented_integration_costs_a_rare_word() -> None:
    close = Evidence(dense=ANSWER_THRESHOLD + 0.1, lexical=0.5, uncovered=0.0, articles=10)
    assert decide(NONE, close).action == "answer"
    asked = Evidence(
        dense=ANSWER_THRESHOLD + 0.1,
        lexical=0.5,
        uncovered=0.0,
        articles=10,
        undocumented_target=True,
    )
    assert abs(close.answerability - asked.answerability - TARGET_PENALTY) < 1e-9
    assert decide(NONE, asked).action == "abstain"
