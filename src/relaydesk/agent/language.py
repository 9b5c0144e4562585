"""Detect the language of a customer message (en, es, fr, de, pt, it, nl).

Uses py3langid (langid.py's naive-Bayes model over byte n-grams, shipped inside the
package) restricted to the languages a help desk expects, held as an n-gram table
(``language_model``: the same scores in a quarter of the memory). Short or ambiguous messages
("refund?", "kanban view?") carry too little evidence, so anything below a confidence
floor is reported as the default language, English.
"""

from __future__ import annotations

import threading

from relaydesk.agent.language_model import NgramLanguageModel

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "pt", "it", "nl")
DEFAULT_LANGUAGE = "en"
_MIN_CONFIDENCE = 0.8

_lock = threading.Lock()
_model: NgramLanguageModel | None = None


def _get_model() -> NgramLanguageModel:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = NgramLanguageModel.load(SUPPORTED_LANGUAGES)  # ~0.5 s to unpack
    return _model


def warm_up() -> None:
    """Load the language model now (it is otherwise loaded on first use)."""
    _get_model()


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of text's language, or ``en`` when unsure."""
    stripped = text.strip()
    if sum(ch.isalpha() for ch in stripped) < 3:
        return DEFAULT_LANGUAGE
    language, confidence = _get_model().classify(stripped)  # stateless: thread-safe
    if confidence < _MIN_CONFIDENCE:
        return DEFAULT_LANGUAGE
    return str(language)
