"""Decide what to do with a message: answer, hand off, or abstain.

The decision reads three kinds of evidence:

1. **Handoff intent** (``intents.py``): an explicit request for a person, frustration, or a
   matter a person must handle. Decisive patterns hand off whatever the articles say;
   similarity-only evidence must be stronger when the knowledge base answers the question
   well, so "my account is locked after too many tries" (documented) is answered while "I
   verified my identity and I'm still locked out" is handed off.
2. **Answerability** of the best retrieved passage::

       answerability = dense + LEXICAL_WEIGHT * lexical - UNCOVERED_WEIGHT * uncovered
                       - RARE_WORD_PENALTY * min(rare_unknown, MAX_RARE_WORDS)
                       - TARGET_PENALTY * [asks to connect/import/export with a
                                           product the knowledge base does not document]
                       - GAP_PENALTY * max(0, unknown_terms + PAIR_WEIGHT * unseen_pairs
                                               - TOLERATED_UNKNOWN)        [capability only]

   ``dense`` is the best passage's cosine with the message and ``lexical`` its normalised
   BM25 score (both from the knowledge index). ``uncovered`` measures how much of the
   message's meaning rests on words the knowledge base never uses: it is
   ``1 - cos(message, message without those words)``. "Is there a Jira integration" loses
   its point without "Jira" (high), while "Tom left and I need to reassign his tasks" barely
   changes without "Tom" (low). A question whose subject the articles never mention is the
   typical "sounds on topic but is not covered" case. ``rare_unknown`` counts the words
   the knowledge base never uses that are also rare in general English (not a single piece
   of the embedding model's 30,000-entry word-piece vocabulary), such as "Okta" or
   "HIPAA": usually the name of a product or feature the articles don't cover.
   A question that asks to connect, sync, import or export with a product the knowledge
   base does not document ("how do I connect it to Zapier", "sync to google calendar") loses
   ``TARGET_PENALTY``: help centers document the integrations they have
   (``answerability.undocumented_integration``).
   A question about whether something exists ("is there a…", "does it support…") needs
   ``EXISTENCE_MARGIN`` more: help centers document what exists, not what doesn't.
   A *capability* question ("can I…", "is there…", "does it…", "where can I see…") also
   loses ``GAP_PENALTY`` for each of its content words that no passage uses, beyond
   ``TOLERATED_UNKNOWN``, and ``PAIR_WEIGHT`` of that for each pair of neighbouring content
   words that no passage uses together (``answerability.py``): the topic may match while
   the asked-for thing is nowhere in the knowledge base.
3. The knowledge base's size: an empty one always abstains.

``answerability`` is mapped to a confidence in 0..1 by a logistic curve centred on
``ANSWER_THRESHOLD`` (see docs/agent.md for how the constants were chosen).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from relaydesk.agent.intents import IntentSignal

#: Weight of the normalised BM25 score in answerability.
LEXICAL_WEIGHT = 0.0
#: Weight of the share of meaning carried by words the knowledge base never uses.
UNCOVERED_WEIGHT = 0.5
#: Penalty per word that neither the knowledge base nor general English commonly uses
#: ("Okta", "webhook", "HIPAA"): most often the name of something the articles don't cover.
RARE_WORD_PENALTY = 0.2
#: Penalty for asking to connect, sync, import or export with a product the knowledge base
#: does not document: more than a rare word (which may be incidental), since the asked-for
#: thing itself is missing; on its own it takes a well-matched question (cosine ~0.5) to
#: the abstain side.
TARGET_PENALTY = 0.3
#: At most this many rare words count.
MAX_RARE_WORDS = 2
#: Answerability at which answering and abstaining are equally likely to be right.
ANSWER_THRESHOLD = 0.21
#: Extra answerability a "does it have X?" question needs: help centers document what
#: exists, so asking whether a feature exists is often asking about one they don't cover.
EXISTENCE_MARGIN = 0.15
#: Answerability lost per content word the knowledge base never uses, beyond the first
#: (``TOLERATED_UNKNOWN``), in a question about whether something can be done or exists
#: (``answerability.py``): the same unit as a rare word.
GAP_PENALTY = 0.2
#: Unknown content words a capability question may carry at no cost (a name, a colloquialism).
TOLERATED_UNKNOWN = 1
#: A pair of neighbouring content words the knowledge base uses, but never in one passage,
#: counts as this share of an unknown word (a combination nothing documents).
PAIR_WEIGHT = 0.5
#: Width of the logistic curve turning answerability into a confidence.
CONFIDENCE_SCALE = 0.06
#: A similarity-only handoff signal must reach this, plus the extra below when the KB answers well.
HANDOFF_THRESHOLD = 0.5
#: How much a well-answered question raises the bar for a similarity-only handoff.
HANDOFF_ANSWERABLE_PENALTY = 0.6


_EXISTENCE = re.compile(
    r"^\s*(?:(?:is|are)\s+there\b|(?:do|does)\s+(?:you|it|the\s+\w+|\w+)\s+"
    r"(?:have|offer|support|provide|integrate|work\s+with)\b|(?:are|is)\s+(?:you|it)\s+\w+\s+"
    r"(?:compliant|certified)\b|(?:can|could)\s+(?:i|we)\s+(?:connect|integrate|sync)\b)",
    re.IGNORECASE,
)


def is_existence_question(text: str) -> bool:
    """Tell whether text asks whether something exists or is supported ("is there a …")."""
    return bool(_EXISTENCE.search(text))


@dataclass(frozen=True)
class Evidence:
    """What retrieval says about a message."""

    dense: float
    lexical: float
    uncovered: float
    articles: int  # articles in the knowledge base
    rare_unknown: int = 0  # words neither the KB nor general English commonly uses
    existence_question: bool = False  # "is there…", "do you have…", "does it support…"
    capability_question: bool = False  # "can I…", "is there…", "does it…", "where can I see…"
    unknown_terms: int = 0  # distinct content words of the message no passage uses
    unseen_pairs: int = 0  # neighbouring known content words no passage uses together
    undocumented_target: bool = False  # asks to connect/import/export with an unknown product

    @property
    def answerability(self) -> float:
        """Return the combined answerability score (see the module docstring)."""
        return (
            self.dense
            + LEXICAL_WEIGHT * self.lexical
            - UNCOVERED_WEIGHT * self.uncovered
            - RARE_WORD_PENALTY * min(self.rare_unknown, MAX_RARE_WORDS)
            - (TARGET_PENALTY if self.undocumented_target else 0.0)
            - self.gap
        )

    @property
    def gap(self) -> float:
        """Return the answerability a capability question loses to what nothing documents."""
        if not self.capability_question:
            return 0.0
        unsupported = self.unknown_terms + PAIR_WEIGHT * self.unseen_pairs
        return GAP_PENALTY * max(0.0, unsupported - TOLERATED_UNKNOWN)

    @property
    def answer_confidence(self) -> float:
        """Return the probability-like confidence (0..1) that the KB answers the message."""
        threshold = ANSWER_THRESHOLD + (EXISTENCE_MARGIN if self.existence_question else 0.0)
        z = (self.answerability - threshold) / CONFIDENCE_SCALE
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class Decision:
    """The chosen action, its confidence (0..1) and a machine-readable reason."""

    action: str  # "answer" | "handoff" | "abstain"
    confidence: float
    reason: str


def decide(intent: IntentSignal, evidence: Evidence | None) -> Decision:
    """Return the action for a message given its handoff intent and retrieval evidence."""
    answer_conf = evidence.answer_confidence if evidence is not None and evidence.articles else 0.0
    if intent.pattern >= 1.0:
        return Decision("handoff", max(0.9, intent.score), intent.reason)
    # Weaker evidence of handoff intent must beat how well the KB answers the question.
    bar = HANDOFF_THRESHOLD + HANDOFF_ANSWERABLE_PENALTY * max(0.0, answer_conf - 0.5)
    if intent.score >= bar:
        return Decision("handoff", intent.score, intent.reason)
    if evidence is None or evidence.articles == 0:
        return Decision("abstain", 1.0, "empty_knowledge_base")
    if answer_conf >= 0.5:
        return Decision("answer", answer_conf, "answered")
    return Decision("abstain", 1.0 - answer_conf, "not_covered")
