"""The AI agent: one message in, one decision out (answer with sources, handoff, or abstain)."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from relaydesk.agent import messages
from relaydesk.agent.answerability import (
    is_capability_question,
    name_like_words,
    undocumented_integration,
    undocumented_name_terms,
    unknown_content_terms,
    unseen_pairs,
)
from relaydesk.agent.compose import compose_answer
from relaydesk.agent.decide import Decision, Evidence, decide, is_existence_question
from relaydesk.agent.intents import HandoffDetector, IntentSignal
from relaydesk.agent.language import DEFAULT_LANGUAGE, detect_language
from relaydesk.agent.reply import AgentReply
from relaydesk.agent.shorthand import expand_shorthand
from relaydesk.agent.translate import to_english
from relaydesk.agent.vocabulary import is_rare_word
from relaydesk.errors import InvalidInput, MessageTooLong
from relaydesk.memory import release_free_memory

if TYPE_CHECKING:
    from relaydesk.agent.llm import LLMClient
    from relaydesk.db.engine import Database
    from relaydesk.knowledge import ArticleHit, Embedder, KnowledgeIndex
    from relaydesk.settings import Settings

log = logging.getLogger(__name__)

#: The longest message the agent accepts, in characters.
MAX_MESSAGE_CHARS = 4000
#: Articles retrieved per message.
SEARCH_K = 5
#: How often (seconds) ``respond`` looks whether an import changed the knowledge base.
REFRESH_CHECK_SECONDS = 2.0
#: Non-English messages are embedded with an English-centred model: their similarity-based
#: handoff evidence counts for this share (their patterns count in full).
FOREIGN_SIMILARITY_FACTOR = 0.45

_WORDS = re.compile(r"\S+")


class Agent:
    """Answers, hands off or abstains on customer messages from the knowledge base.

    ``respond`` is synchronous and thread-safe: the index is immutable and replaced whole by
    ``reload``; the embedder and the intent detector keep no per-call state.
    """

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        embedder: Embedder | None = None,
        index: KnowledgeIndex | None = None,
        llm: LLMClient | None = None,
    ) -> None:
        from relaydesk.knowledge import KnowledgeIndex, load_embedder

        self._settings = settings
        self._db = db
        # The language model and the word-piece vocabulary load while the index loads.
        threading.Thread(target=_warm_up, name="agent-warm-up", daemon=True).start()
        self._embedder = embedder if embedder is not None else load_embedder(settings)
        self._version = self._knowledge_version()
        self._index = (
            index
            if index is not None
            else KnowledgeIndex.load(db, self._embedder, cache_dir=_cache_dir(settings))
        )
        self._detector = HandoffDetector(self._embedder, cache_dir=_cache_dir(settings))
        if llm is None and settings.llm_base_url:
            from relaydesk.agent.llm import LLMClient

            llm = LLMClient.from_settings(settings)
        self._llm = llm
        self._reload_lock = threading.Lock()
        self._auto_refresh = index is None
        self._checked_at = time.monotonic()
        self._refreshing = False
        release_free_memory()  # what loading the model and the index freed

    @property
    def index(self) -> KnowledgeIndex:
        """Return the knowledge index in use."""
        return self._index

    def reload(self) -> None:
        """Re-read the knowledge index from the database (after an import)."""
        from relaydesk.knowledge import KnowledgeIndex

        with self._reload_lock:
            version = self._knowledge_version()
            self._index = KnowledgeIndex.load(
                self._db, self._embedder, cache_dir=_cache_dir(self._settings)
            )
            self._version = version
        release_free_memory()

    def _knowledge_version(self) -> tuple[int, int, str]:
        from relaydesk.knowledge.queries import knowledge_version

        with self._db.session() as session:
            return knowledge_version(session)

    def refresh_if_changed(self) -> threading.Thread | None:
        """Look in the background whether an import changed the knowledge base; reload if so.

        Starts at most one check every ``REFRESH_CHECK_SECONDS`` and never touches the
        database on the caller's thread: ``respond`` may run while its caller holds a write
        transaction (SQLite's one writer), so the check waits for that on its own thread.
        Answers keep using the current index until the new one is loaded, so a running server
        picks up `relaydesk kb import` without a restart. Returns the check's thread, if one
        was started.
        """
        now = time.monotonic()
        if (
            not self._auto_refresh
            or self._refreshing
            or now - self._checked_at < REFRESH_CHECK_SECONDS
        ):
            return None
        self._checked_at = now
        self._refreshing = True

        def run() -> None:
            try:
                if self._knowledge_version() != self._version:
                    self.reload()
                    log.info(
                        "knowledge base changed: index reloaded",
                        extra={"articles": len(self._index)},
                    )
            except Exception:
                log.exception("checking or reloading the knowledge index failed")
            finally:
                self._refreshing = False

        thread = threading.Thread(target=run, name="agent-knowledge-refresh", daemon=True)
        thread.start()
        return thread

    def respond(self, message: str, *, history: Sequence[tuple[str, str]] = ()) -> AgentReply:
        """Return the agent's reply to message; history is earlier (author, text) turns.

        Raises InvalidInput for an empty message and MessageTooLong past 4,000 characters.
        """
        text = _check_message(message)
        self.refresh_if_changed()
        language = detect_language(text)
        foreign = language != DEFAULT_LANGUAGE
        query = to_english(text, language) if foreign else expand_shorthand(text)
        index = self._index  # one consistent snapshot even if reload() runs meanwhile
        typos = {} if foreign else _typos(index, query, text)
        search_query = _corrected(query, typos)
        knows = _knowledge_of(index, text, language, _stems(typos))
        if not len(index):
            coverage = _Coverage(None, 0)
        elif not foreign:
            coverage = _Coverage.of(knows, query)
        else:
            # What the glossary left untranslated is mostly ordinary words of the message's
            # language, not things the articles fail to cover: of those, only names count.
            coverage = _Coverage.of(knows, query, counts=_translated_or_name(text))
        # One forward pass for the query, the original text and the query without the words
        # the knowledge base never uses.
        own_text = foreign and text != query  # the original words, for the intent detector
        texts = [query]
        if own_text:
            texts.append(text)
        if coverage.reduced:
            texts.append(coverage.reduced)
        vectors = self._embedder.embed(texts)
        vector = vectors[0]
        intent = self._detector.assess(text, vectors[1] if own_text else vector)
        if foreign:
            intent = _damp_similarity(intent)
        intent = self._with_history(intent, text, history)
        hits = index.search(search_query, k=SEARCH_K, query_vector=vector) if len(index) else []
        evidence = None
        if len(index):
            uncovered = coverage.uncovered(vector, vectors[-1] if coverage.reduced else None)
            existence = is_existence_question(query)
            capability = existence or is_capability_question(query)
            unknown, pairs = _unsupported(index, knows, search_query) if capability else (0, 0)
            evidence = (
                Evidence(
                    hits[0].dense,
                    hits[0].lexical,
                    uncovered,
                    len(index),
                    rare_unknown=coverage.rare,
                    existence_question=existence,
                    capability_question=capability,
                    unknown_terms=unknown,
                    unseen_pairs=pairs,
                    undocumented_target=undocumented_integration(
                        search_query, knows, index.terms_share_a_passage
                    )
                    is not None,
                )
                if hits
                else Evidence(0.0, 0.0, 0.0, len(index))
            )
        decision = decide(intent, evidence)
        return self._reply(decision, text, query, language, hits)

    # --- internals -------------------------------------------------------------------------

    def _with_history(
        self, intent: IntentSignal, text: str, history: Sequence[tuple[str, str]]
    ) -> IntentSignal:
        """Raise the handoff signal when the customer repeats an earlier question verbatim."""
        if intent.pattern >= 1.0 or not history:
            return intent
        earlier = [t.strip().lower() for author, t in history if author in ("visitor", "user")]
        if text.strip().lower() in earlier:
            return IntentSignal(1.0, "frustrated", 1.0, intent.similarity)
        return intent

    def _reply(
        self,
        decision: Decision,
        text: str,
        query: str,
        language: str,
        hits: list[ArticleHit],
    ) -> AgentReply:
        if decision.action == "handoff":
            return AgentReply(
                "handoff",
                messages.localized(messages.HANDOFF, language),
                (),
                decision.confidence,
                language,
                decision.reason,
            )
        if decision.action == "abstain":
            template = (
                messages.EMPTY_KNOWLEDGE_BASE
                if decision.reason == "empty_knowledge_base"
                else messages.ABSTAIN
            )
            return AgentReply(
                "abstain",
                messages.localized(template, language),
                (),
                decision.confidence,
                language,
                decision.reason,
            )
        composed = compose_answer(query, hits)
        if composed is None:  # cannot happen with hits, but never answer without a source
            return AgentReply(
                "abstain",
                messages.localized(messages.ABSTAIN, language),
                (),
                0.5,
                language,
                "no_passage",
            )
        answer, sources, reason = composed.text, composed.sources, decision.reason
        if self._llm is not None:
            generated = self._llm.answer(text, hits, language=language)
            if generated is not None:
                answer, sources, reason = generated.text, generated.sources or sources, "generated"
        if language != DEFAULT_LANGUAGE and reason != "generated":
            note = messages.ENGLISH_SOURCE_NOTE.get(language)
            if note:
                answer = f"{note}\n\n{answer}"
        return AgentReply("answer", answer, tuple(sources), decision.confidence, language, reason)


@dataclass(frozen=True)
class _Coverage:
    """The query without the words the knowledge base never uses, and how many of those are
    rare in general English too (likely names of things the articles don't cover).

    ``reduced`` is None when every word is known, "" when none is.
    """

    reduced: str | None
    rare: int

    @classmethod
    def of(
        cls,
        knows: Callable[[str], bool],
        query: str,
        counts: Callable[[str], bool] = lambda word: True,
    ) -> _Coverage:
        """Measure query's words that no passage uses, of those ``counts`` accepts."""
        from relaydesk.knowledge.bm25 import tokenize

        words = _WORDS.findall(query)
        unknown = [w for w in words if counts(w) and any(not knows(t) for t in tokenize(w))]
        if not unknown:
            return cls(None, 0)
        rare = sum(1 for w in unknown if is_rare_word(w))
        return cls(" ".join(w for w in words if w not in unknown), rare)

    def uncovered(self, vector: np.ndarray, reduced_vector: np.ndarray | None) -> float:
        """Return 1 - cos(query, reduced query): the meaning carried by unknown words."""
        if self.reduced is None:
            return 0.0
        if reduced_vector is None:
            return 1.0
        return float(max(0.0, 1.0 - float(np.dot(reduced_vector, vector))))


def _unsupported(
    index: KnowledgeIndex, knows: Callable[[str], bool], query: str
) -> tuple[int, int]:
    """Return the query's unknown content words and unseen pairs (``answerability.py``)."""
    unknown = unknown_content_terms(query, knows)
    pairs = unseen_pairs(query, knows, index.terms_share_a_passage)
    return len(unknown), len(pairs)


def _translated_or_name(text: str) -> Callable[[str], bool]:
    """Return a test of whether a word of text's English rendering is a translation (not a
    word of text itself) or a name (``answerability.name_like_words``)."""
    from relaydesk.knowledge.bm25 import tokenize

    original = set(tokenize(text))
    is_name = name_like_words(text)
    return lambda word: is_name(word) or not set(tokenize(word)) <= original


def _warm_up() -> None:
    from relaydesk.agent.language import warm_up

    warm_up()
    is_rare_word("warm")
    release_free_memory()  # unpacking the language model's archive


def _damp_similarity(intent: IntentSignal) -> IntentSignal:
    similarity = intent.similarity * FOREIGN_SIMILARITY_FACTOR
    if intent.pattern >= similarity:
        return IntentSignal(
            intent.pattern, intent.reason if intent.pattern else "", intent.pattern, similarity
        )
    return IntentSignal(similarity, intent.reason, intent.pattern, similarity)


def _knowledge_of(
    index: KnowledgeIndex, text: str, language: str, typos: frozenset[str] = frozenset()
) -> Callable[[str], bool]:
    """Return whether a passage uses an index term, less the words of any name in text that
    the knowledge base does not document as a whole ("Acme Cloud" when only clouds are);
    the terms in ``typos`` (of words misspelling terms the index has) count as used."""
    if language == DEFAULT_LANGUAGE:
        hidden = undocumented_name_terms(text, index.knows_term)
    else:
        hidden = undocumented_name_terms(text, index.knows_term, lambda s: to_english(s, language))
    if not hidden and not typos:
        return index.knows_term
    return lambda term: term in typos or (term not in hidden and index.knows_term(term))


_LETTERS = re.compile(r"[^\W\d_]+")


def _typos(index: KnowledgeIndex, query: str, text: str) -> dict[str, str]:
    """Return the query's misspelt words, each with the index term it stands for
    ("recconcile" -> "reconcil"); names ("Gusto", "QuickBooks") are never corrected."""
    from relaydesk.knowledge.bm25 import tokenize

    is_name = name_like_words(text)
    found: dict[str, str] = {}
    for word in _LETTERS.findall(query):
        terms = tokenize(word)
        if (
            word in found
            or len(terms) != 1
            or is_name(word)
            or index.knows_term(terms[0])
            or not is_rare_word(word)  # a common English word is meant as written
        ):
            continue
        # The stem first; a misspelt ending can stem oddly ("calender" -> "calend").
        for candidate in (terms[0], word.lower()):
            correction = index.closest_term(candidate)
            if correction is not None and tokenize(correction) == [correction]:
                found[word] = correction
                break
    return found


def _stems(words: Iterable[str]) -> frozenset[str]:
    from relaydesk.knowledge.bm25 import tokenize

    return frozenset(term for word in words for term in tokenize(word))


def _corrected(query: str, typos: dict[str, str]) -> str:
    """Return query with its misspelt words replaced by the index terms they stand for."""
    if not typos:
        return query
    return _LETTERS.sub(lambda m: typos.get(m.group(), m.group()), query)


def _check_message(message: str) -> str:
    text = (message or "").strip()
    if not text:
        raise InvalidInput("the message is empty")
    if len(text) > MAX_MESSAGE_CHARS:
        raise MessageTooLong(
            f"the message is {len(text)} characters long; the limit is {MAX_MESSAGE_CHARS}"
        )
    return text


def _cache_dir(settings: Settings) -> Path | None:
    try:
        return settings.data_dir / "cache"
    except (OSError, ValueError):
        return None


def build_agent(settings: Settings, db: Database) -> Agent:
    """Build the agent for settings over db: the configured embedder, the stored index."""
    return Agent(settings, db)
