from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import LanguageIdentifier, _load_identifier  # type: ignore[import-untyped]

from relaydesk.agent.language import SUPPORTED_LANGUAGES
from relaydesk.agent.language_model import NgramLanguageModel, StateTable, state_table

EVAL_SETS = [
    Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev" / "cases.jsonl",
    Path(__file__).parent / "data" / "tallybook" / "cases.jsonl",
    Path(__file__).parent / "data" / "pebble_cases.jsonl",
]


@pytest.fixture(scope="module")
def model() -> NgramLanguageModel:
    return NgramLanguageModel.load(SUPPORTED_LANGUAGES)


@pytest.fixture(scope="module")
def automaton() -> LanguageIdentifier:
    return _load_identifier(norm_probs=True, langs=list(SUPPORTED_LANGUAGES))


def _texts() -> list[str]:
    texts = []
    for path in EVAL_SETS:
        if path.is_file():
            for line in path.read_text().splitlines():
                if line.strip():
                    texts.append(json.loads(line)["message"])
    rng = random.Random(7)
    # Any code point, any length: Latin, Cyrillic, CJK, emoji, combining marks, surrogates.
    texts += [
        "".join(chr(rng.randrange(1, 0x1FAFF)) for _ in range(rng.randrange(0, 80)))
        for _ in range(500)
    ]
    return texts + ["HOW DO I RESET MY PASSWORD", "Straße", "e\u0301te\u0301", "\ud800x", ""]


def test_scores_are_py3langid_s_to_the_last_bit(
    model: NgramLanguageModel, automaton: LanguageIdentifier
) -> None:
    texts = _texts()
    assert len(texts) > 700
    for text in texts:
        ours = model._probabilities(LanguageIdentifier._encode(text))
        theirs = automaton._decide(text)
        assert ours.tobytes() == theirs.tobytes(), text
    assert model.languages == automaton.nb_classes


def test_classify_returns_the_language_and_its_probability(model: NgramLanguageModel) -> None:
    language, probability = model.classify("¿Cómo puedo cambiar la contraseña de mi cuenta?")
    assert language == "es"
    assert 0.8 < probability <= 1.0


def test_text_without_any_feature_scores_every_language_alike(model: NgramLanguageModel) -> None:
    scores = model._probabilities(b"")
    assert np.allclose(scores, 1 / len(SUPPORTED_LANGUAGES))


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="xx"):
        NgramLanguageModel.load(["en", "xx"])


def test_state_strings_follow_the_automaton() -> None:
    # The automaton of the features "ab" and "b" over the bytes a and b (rows: next state
    # for byte 0..255): 0 = start, 1 = "a", 2 = "ab" (emits feature 0), 3 = "b" (feature 1).
    table = np.zeros((4, 256), dtype=np.uint32)
    table[:, ord("a")] = 1
    table[:, ord("b")] = 3
    table[1, ord("b")] = 2
    states = state_table(table, np.arange(4), np.array([-1, -1, 0, 1]))
    assert states.as_dict() == {b"a": -1, b"ab": 0, b"b": 1}
    assert states.longest == 2
    model = NgramLanguageModel(states, np.zeros((2, 1), np.float16), np.zeros(1), ["en"])
    assert model.features(b"abba") == {0: 1, 1: 1}
    assert model.features(b"xyz") is None
    assert model.features(b"") is None
    assert model.features(b"b") == {1: 1}


def test_a_state_table_from_strings_finds_the_longest_state() -> None:
    states = StateTable.of({b"a": 5, b"ba": 6, b"cba": -1})
    rows = states.lookup(b"cba")  # for n = 1, 2, 3: what the n bytes ending at 0, 1, 2 emit
    assert [rows[0], rows[1][1:], rows[2][2:]] == [[-2, -2, 5], [-2, 6], [-1]]
