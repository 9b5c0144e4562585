from __future__ import annotations

from relaydesk.agent.translate import to_english


def test_function_words_drop_and_vocabulary_maps_to_english() -> None:
    assert to_english("¿Cómo cancelo mi suscripción?", "es") == "how cancel subscription"
    assert to_english("Wie kann ich mein Passwort zurücksetzen?", "de") == "how can password reset"
    assert "trash" in to_english("Combien de temps dans la corbeille ?", "fr")
    assert to_english("Posso exportar os dados?", "pt") == "can export data"


def test_unknown_words_and_names_are_kept() -> None:
    assert to_english("¿Cuánto cuesta el plan Business?", "es") == "how much cost plan Business"


def test_elision_is_split() -> None:
    assert to_english("J'ai oublié le mot de passe", "fr") == "have forgot password"


def test_unsupported_language_is_unchanged() -> None:
    assert (
        to_english("hoe kan ik mijn wachtwoord wijzigen", "nl")
        == "hoe kan ik mijn wachtwoord wijzigen"
    )
