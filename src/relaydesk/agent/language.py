"""Detect the language of a customer message (en, es, fr, de, pt, it, nl).

Uses py3langid (langid.py's naive-Bayes model over byte n-grams, shipped inside the
package) restricted to the languages a help desk expects. Short or ambiguous messages
("refund?", "kanban view?") carry too little evidence, so anything below a confidence
floor is reported as the default language, English.
"""

from __future__ import annotations

import threading
from typing import Any

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "pt", "it", "nl")
DEFAULT_LANGUAGE = "en"
_MIN_CONFIDENCE = 0.8

_lock = threading.Lock()
_identifier: Any = None


def _get_identifier() -> Any:
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import (  # type: ignore[import-untyped]  # lazy: 0.5 s to unpack
                    _load_identifier,
                )

                identifier = _load_identifier(norm_probs=True, langs=list(SUPPORTED_LANGUAGES))
                # It keeps the 142-language weights (28 MB) to undo the restriction; we never
                # do, so only the supported languages' columns stay in memory.
                if hasattr(identifier, "_full_model"):
                    identifier._full_model = (
                        identifier.nb_ptc,
                        identifier.nb_pc,
                        identifier.nb_classes,
                    )
                _identifier = identifier
    return _identifier


def warm_up() -> None:
    """Load the language model now (it is otherwise loaded on first use)."""
    _get_identifier()


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of text's language, or ``en`` when unsure."""
    stripped = text.strip()
    if sum(ch.isalpha() for ch in stripped) < 3:
        return DEFAULT_LANGUAGE
    language, confidence = _get_identifier().classify(stripped)  # stateless: thread-safe
    if confidence < _MIN_CONFIDENCE:
        return DEFAULT_LANGUAGE
    return str(language)
