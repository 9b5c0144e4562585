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
