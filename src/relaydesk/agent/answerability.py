"""Does the knowledge base document what a capability question asks about?

A bi-encoder scores "can recurring tasks skip public holidays?" close to an article on
recurring tasks: the topic matches, the asked-for thing does not. Help centers document what
a product does, so a question about whether it *can* do something ("can I…", "is there…",
"does it…", "where can I see…") is only covered when the knowledge base talks about that
something. The evidence used here is lexical and costs no model call: the question's content
words (index terms, stemmed, without stop words and the generic conversational words below)
that no passage of the knowledge base uses, and neighbouring pairs of content words that the
knowledge base uses but never together in one passage ("google calendar" when Google and
calendars are each documented elsewhere), which count half. One unknown word is tolerated (a
person's name, a colloquial word for something documented); beyond it, each counts against
answering (``decide.GAP_PENALTY``).

Nothing here names a product, a feature or a topic: the filler list is generic English
conversation (non-English messages reach this module as English search terms, see
``translate.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from relaydesk.knowledge.bm25 import tokenize

# Generic conversational words that carry no subject of their own: light verbs, time
# references, quantities, greetings, phrasal-verb particles. Stemmed like index terms.
_FILLER_WORDS = """
get gets got getting make makes made making want wants wanted need needs needed way ways let
lets say says said tell try tries tried trying use used using keep keeps take takes took go
goes went going put thing things stuff hi hey hello thanks thank please pls ok okay now just
still already today yesterday tomorrow ago week weeks day days month months year years time
times again also even though really actually quick one two three lot lots much many anyone
someone something anything everything everyone every each new next last first able possible
happen happens happened know wonder wondering guys folks back away around along
"""
FILLER_TERMS: frozenset[str] = frozenset(tokenize(_FILLER_WORDS))

# A sentence that asks whether something can be done or exists.
_CAPABILITY = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:hi|hey|hello)\W+)?"
    r"(?:(?:can|could)\s+\w+|(?:is|are)\s+there\b|(?:do|does)\s+\w+\s+\w+|"
    r"is\s+it\s+possible\b|where\s+(?:can|do)\s+(?:i|we)\s+(?:see|find)\b|will\s+\w+)",
    re.IGNORECASE,
)


# A word of letters (inner apostrophes and hyphens allowed): the parts a name is made of.
_LETTER_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def is_capability_question(text: str) -> bool:
    """Tell whether text asks whether something can be done or exists ("can I…", "is there…")."""
    return bool(_CAPABILITY.search(text))


def content_terms(query: str) -> list[str]:
    """Return the query's content terms in order: index terms without filler words or numbers."""
    return [t for t in tokenize(query) if t not in FILLER_TERMS and not t.isdigit()]


def unknown_content_terms(query: str, knows_term: Callable[[str], bool]) -> list[str]:
    """Return the query's distinct content terms that no passage uses (``knows_term`` False)."""
    seen: list[str] = []
    for term in content_terms(query):
        if term not in seen and not knows_term(term):
            seen.append(term)
    return seen


def undocumented_name_terms(
    text: str,
    knows_term: Callable[[str], bool],
    render: Callable[[str], str] = str,
) -> frozenset[str]:
    """Return the documented index terms that belong to a name the knowledge base does not
    document: a run of two or more capitalised words (a proper name, "Acme Cloud Sync")
    some word of which no passage uses. A name is one thing: when the articles never use
    "Acme", its "Cloud" and "Sync" are no evidence that they cover "Acme Cloud Sync".

    ``render`` turns a run of the original text into English search terms (``translate.py``)
    for a message in another language. A run breaks at punctuation, numbers, stop words and
    filler ("Hi Team"); text without a lower-case word (title case, shouting) has no names.
    """
    words = list(_LETTER_WORD.finditer(text))
    if not any(m.group()[:1].islower() for m in words):
        return frozenset()
    found: set[str] = set()
    run: list[str] = []
    end = 0
    for match in [*words, None]:
        word = match.group() if match else ""
        joined = match is not None and not text[end : match.start()].strip()
        stems = tokenize(word)
        name_like = word[:1].isupper() and bool(stems) and not set(stems) & FILLER_TERMS
        if match is not None:
            end = match.end()
        if name_like and joined and run:
            run.append(word)
            continue
        if len(run) >= 2:
            terms = set(tokenize(render(" ".join(run))))
            known = {t for t in terms if knows_term(t)}
            if len(known) < len(terms):
                found |= known
        run = [word] if name_like else []
    return frozenset(found)


# "connect/integrate/sync/link/hook up/import/export/migrate ... to/with/from/into <target>",
# and "bring ... over from <target>": the question names a product to work with (the target:
# one or two words after the preposition and an optional determiner).
_INTEGRATION = re.compile(
    r"\b(?:connect\w*|integrat\w*|link\w*|sync\w*|hook\w*\s+up|import\w*|export\w*|"
    r"migrat\w*|bring\w*(?:\s+\S+){0,4}?\s+over)\b(?:\s+\S+){0,5}?\s+(?:to|with|from|into)\s+"
    r"(?:(?:my|our|the|a|an|your)\s+)?([^\W\d_][\w.&-]*)(?:\s+([^\W\d_][\w&-]*))?",
    re.IGNORECASE,
)


# Words that say which one, not what ("from another project", "to my old phone"): a target
# opening with one is no product name.
_MODIFIERS: frozenset[str] = frozenset(
    tokenize(
        "another other old older new newer same different existing previous current separate "
        "second main shared personal own whole single multiple several various"
    )
)


def undocumented_integration(
    query: str,
    knows_term: Callable[[str], bool],
    share_a_passage: Callable[[str, str], bool] = lambda first, second: True,
) -> str | None:
    """Return the product a question asks to connect, sync, import or export with, when the
    knowledge base does not document it; else None.

    Help centers document the integrations they have. "How do I connect it to Zapier" is
    not covered by an article on connecting a bank, however close the two read. The product
    is undocumented when it is a name (capitalised: "Zapier", "QuickBooks") no passage uses,
    or two words that passages use but never together ("to google calendar" where only
    Google Drive and the task calendar are documented). A person or a file format ("to
    Priya", "from excel") is no product in this sense and is left to the other evidence.
    """
    for match in _INTEGRATION.finditer(query):
        target, second = match.group(1), match.group(2)
        terms = tokenize(target)
        if not terms:
            continue
        if target[:1].isupper() and not any(knows_term(t) for t in terms):
            return target
        pair = content_terms(f"{target} {second}") if second else []
        if (
            len(pair) == 2
            and pair[0] not in _MODIFIERS
            and pair[0] != pair[1]
            and all(knows_term(t) for t in pair)
            and not share_a_passage(pair[0], pair[1])
        ):
            return f"{target} {second}"
    return None


_WORD_CHAR = re.compile(r"\w")
_SENTENCE_END = frozenset(".!?¿¡")


def name_like_words(text: str) -> Callable[[str], bool]:
    """Return a test of whether a word looks like a name in text, judged by its spelling.

    A name: two or more capitals ("CFDI", "QuickBooks"), letters mixed with digits ("B2B",
    "1099s"), or a capitalised word that does not start a sentence ("en México"). For a
    message in another language, this tells the product names the knowledge base may lack
    from the ordinary words a glossary could not translate.
    """
    names: set[str] = set()
    end = 0
    for match in _LETTER_WORD.finditer(text):
        gap = text[end : match.start()]
        tail = _WORD_CHAR.split(gap)[-1]  # what follows the gap's last letter or digit
        starts = (end == 0 and tail == gap) or bool(_SENTENCE_END.intersection(tail))
        word = match.group()
        if word[:1].isupper() and not starts:
            names.add(word)
        end = match.end()

    def is_name(word: str) -> bool:
        core = "".join(ch for ch in word if ch.isalnum())
        if sum(ch.isupper() for ch in core) >= 2:
            return True
        if any(ch.isdigit() for ch in core) and any(ch.isalpha() for ch in core):
            return True
        return core in names

    return is_name


def unseen_pairs(
    query: str,
    knows_term: Callable[[str], bool],
    share_a_passage: Callable[[str, str], bool],
) -> list[tuple[str, str]]:
    """Return the distinct pairs of neighbouring content terms, each used by the knowledge
    base, that no single passage uses together ("google" and "calendar" both documented,
    never in one passage)."""
    terms = content_terms(query)
    pairs: list[tuple[str, str]] = []
    for first, second in zip(terms, terms[1:], strict=False):
        pair = (first, second)
        if first == second or pair in pairs:
            continue
        if knows_term(first) and knows_term(second) and not share_a_passage(first, second):
            pairs.append(pair)
    return pairs
