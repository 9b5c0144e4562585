from __future__ import annotations

import pytest

from relaydesk.agent.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("How do I export all of my notes to PDF?", "en"),
        ("¿Cómo puedo cambiar la contraseña de mi cuenta?", "es"),
        ("Comment est-ce que je peux exporter toutes mes notes ?", "fr"),
        ("Wie kann ich mein Passwort zurücksetzen?", "de"),
        ("Como faço para exportar todas as minhas notas?", "pt"),
        ("quero falar com um atendente", "pt"),
        ("ich möchte mit einem Mitarbeiter sprechen", "de"),
        ("je veux parler à un conseiller", "fr"),
    ],
)
def test_detects_the_language(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["refund?", "ok", "2fa", "kanban view?", "???", ""])
def test_short_or_unclear_text_is_english(text: str) -> None:
    assert detect_language(text) == "en"
