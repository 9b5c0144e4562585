"""Turn a Spanish, French, German, Portuguese, Italian or Dutch message into English search terms.

The knowledge base is written in English and the packaged embedding model is
English-centred, so a message in another language is searched through an English
rendering: its function words are dropped and its words looked up in a glossary of
generic help-desk vocabulary (accounts, billing, payments, banking, orders, files, settings,
errors, time: ``glossaries.py``).
Words the glossary does not know (product names, numbers, English loanwords such as
"plan" or "Business") are kept as they are. The result is a bag of search terms, not a
translation for people; replies still quote the English articles.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from relaydesk.agent.glossaries import GLOSSARIES

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=8)
def _glossary(language: str) -> dict[tuple[str, ...], str]:
    entries: dict[tuple[str, ...], str] = {}
    for pair in GLOSSARIES.get(language, "").split():
        source, _, target = pair.partition("=")
        entries[tuple(source.split("_"))] = target.replace("_", " ")
    return entries


# Object pronouns joined to an infinitive ("cancelarla", "ripristinarlo", "registrarme").
_CLITICS: dict[str, tuple[str, ...]] = {
    "es": (
        "melo",
        "mela",
        "selo",
        "sela",
        "me",
        "te",
        "se",
        "nos",
        "los",
        "las",
        "les",
        "lo",
        "la",
        "le",
    ),
    "it": ("glielo", "gliela", "gli", "mi", "ti", "si", "ci", "vi", "lo", "la", "li", "le", "ne"),
}
_VOWELS = frozenset("aeiouy")
_MIN_COMPOUND_PART = 4


def _variants(word: str, language: str) -> list[str]:
    """Return word and the forms a glossary may list it under: singulars, infinitives."""
    forms = [word]
    if language in ("es", "fr", "pt") and word.endswith("s") and len(word) > 3:
        forms.append(word[:-1])
        if word.endswith("es"):
            forms.append(word[:-2])
    if language in ("es", "pt", "it") and word.endswith("o") and len(word) > 3:
        # First person present ("exporto", "cancelo") -> the infinitive in the glossary.
        forms.extend(word[:-1] + ending for ending in ("ar", "er", "ir", "are", "ere", "ire"))
    if language in ("es", "pt", "it"):
        forms.extend(_romance_verb_forms(word, language))
    if language == "fr" and len(word) > 4:
        for suffix in ("ees", "ee", "es", "ez", "ent", "ons", "e"):  # "annulée" -> "annuler"
            if word.endswith(suffix):
                forms.append(word[: -len(suffix)] + "er")
                break
        for suffix in ("is", "it", "i", "ie"):  # "converti", "choisit" -> "convertir"
            if word.endswith(suffix):
                forms.append(word[: -len(suffix)] + "ir")
                break
    if language == "de":
        for suffix in ("e", "st", "t"):  # "exportiere", "löschst" -> the infinitive
            if word.endswith(suffix) and len(word) > len(suffix) + 3:
                forms.append(word[: -len(suffix)] + "en")
        for suffix in ("en", "n", "e", "s"):
            if word.endswith(suffix) and len(word) > len(suffix) + 3:
                forms.append(word[: -len(suffix)])
        if word.startswith("ge") and word.endswith("t") and len(word) > 6:
            forms.extend((word[2:-1] + "en", word[2:-1] + "n"))  # "geändert" -> "ändern"
    if language == "it" and len(word) > 3:
        if word.endswith("i"):  # "fatture"/"progetti" -> "fattura"/"progetto"
            forms.extend((word[:-1] + "o", word[:-1] + "e"))
        elif word.endswith("e"):
            forms.append(word[:-1] + "a")
    if language == "nl":
        forms.extend(_dutch_forms(word))
    return forms


def _romance_verb_forms(word: str, language: str) -> list[str]:
    """Infinitives behind a participle, a past or a present form, or a joined pronoun."""
    forms: list[str] = []
    for clitic in _CLITICS.get(language, ()):
        stem = word[: -len(clitic)]
        if word.endswith(clitic) and stem.endswith(("ar", "er", "ir")) and len(stem) > 4:
            forms.append(stem if language == "es" else stem + "e")
            break
    endings = {
        "ar": (
            "ado",
            "ada",
            "ados",
            "adas",
            "ato",
            "ata",
            "ati",
            "ate",
            "aste",
            "aron",
            "aram",
            "amos",
            "ei",
            "ou",
            "a",
            "e",
            "an",
            "am",
            "iamo",
        ),
        "er": (
            "ido",
            "ida",
            "idos",
            "idas",
            "uto",
            "uta",
            "uti",
            "ute",
            "iste",
            "ieron",
            "eram",
            "emos",
            "eu",
            "e",
            "i",
            "en",
            "em",
        ),
        "ir": (
            "ido",
            "ida",
            "idos",
            "idas",
            "ito",
            "ita",
            "iti",
            "ite",
            "iste",
            "ieron",
            "iram",
            "imos",
            "iu",
            "i",
            "e",
            "isco",
            "isce",
        ),
    }
    for infinitive, suffixes in endings.items():
        for suffix in suffixes:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                stem = word[: -len(suffix)]
                forms.append(stem + infinitive + ("e" if language == "it" else ""))
                break
    return forms


def _dutch_forms(word: str) -> list[str]:
    """Dutch singulars and infinitives: "facturen" -> "factuur", "zet" -> "zetten",
    "betaalt" -> "betalen", "gewijzigd" -> "wijzigen"."""
    stems: list[str] = []
    if word.endswith("en") and len(word) > 4:
        stems.append(word[:-2])
    if word.endswith("s") and len(word) > 3:
        stems.append(word[:-1])
    if word.endswith(("t", "d")) and len(word) > 3:
        stems.append(word[:-1])
        if word.startswith("ge") and len(word) > 6:
            stems.append(word[2:-1])
    stems.append(word)
    forms: list[str] = []
    for stem in stems:
        forms.extend((stem, stem + "en"))
        if len(stem) < 3 or stem[-1] in _VOWELS:
            continue
        if stem[-2] in _VOWELS and stem[-3] not in _VOWELS:
            forms.extend((stem[:-1] + stem[-2] + stem[-1], stem + stem[-1] + "en"))
        if stem[-2] == stem[-3] and stem[-2] in _VOWELS:
            forms.append(stem[:-2] + stem[-1] + "en")  # "betaal" -> "betalen"
        if stem[-1] == stem[-2]:
            forms.append(stem[:-1])  # "stopp" -> "stop"
    return forms


def _lookup(word: str, language: str, glossary: dict[tuple[str, ...], str]) -> str | None:
    """Return the rendering of a word under one of its forms, or of a German or Dutch
    compound of two known words ("Stromrechnung", "betalingsherinnering"), else None."""
    for form in _variants(word, language):
        if (form,) in glossary:
            return glossary[(form,)]
    if language in ("de", "nl"):
        return _compound(word, language, glossary, depth=2)
    return None


def _compound(
    word: str, language: str, glossary: dict[tuple[str, ...], str], *, depth: int
) -> str | None:
    """Split word into a known head (optionally with a linking "s") and a known tail, the
    longest tail first; both must translate to words, not be dropped."""
    if depth == 0 or len(word) < 2 * _MIN_COMPOUND_PART:
        return None
    for cut in range(_MIN_COMPOUND_PART, len(word) - _MIN_COMPOUND_PART + 1):
        head, tail = word[:cut], word[cut:]
        head_target = glossary.get((head,))
        if not head_target and head.endswith("s"):
            head_target = glossary.get((head[:-1],))
        if not head_target:
            continue
        tail_target = next(
            (glossary[(form,)] for form in _variants(tail, language) if (form,) in glossary), None
        )
        if tail_target is None:
            tail_target = _compound(tail, language, glossary, depth=depth - 1)
        if tail_target:
            return f"{head_target} {tail_target}"
    return None


def to_english(text: str, language: str) -> str:
    """Return English search terms for text in language (text itself when unsupported:
    English or a language without a glossary)."""
    glossary = _glossary(language)
    if not glossary:
        return text
    words = list(_WORD.findall(text))
    folded = [_fold(w).replace("’", "'") for w in words]
    # Elided articles and pronouns (l'équipe, d'un, j'ai) separate into their parts.
    expanded_words: list[str] = []
    expanded_folded: list[str] = []
    for word, fold in zip(words, folded, strict=True):
        if "'" in fold:
            head, _, tail = fold.partition("'")
            expanded_words.extend([head, word.split("'")[-1].split("’")[-1]])
            expanded_folded.extend([head, tail])
        else:
            expanded_words.append(word)
            expanded_folded.append(fold)
    out: list[str] = []
    i = 0
    longest = max((len(k) for k in glossary), default=1)
    while i < len(expanded_folded):
        for size in range(min(longest, len(expanded_folded) - i), 0, -1):
            phrase = tuple(expanded_folded[i : i + size])
            target = glossary.get(phrase)
            if target is None and size == 1:
                target = _lookup(phrase[0], language, glossary)
            if target is not None:
                if target:
                    out.append(target)
                i += size
                break
        else:
            out.append(expanded_words[i])  # unknown: a name, a number, an English word
            i += 1
    return " ".join(out) if out else text
