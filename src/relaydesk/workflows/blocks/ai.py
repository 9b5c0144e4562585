"""``ai``: let the AI handle the conversation.

The visitor's question goes to the responder (the agent). An *answer* is shown with its
sources, then "Did that answer your question?" with Yes/No buttons (``confirm``); "Yes"
resolves the conversation (or goes to ``on_resolved``), "No" goes to ``on_unresolved`` (the
escalation path), and typing another question instead is a follow-up the AI answers. A
*handoff* (the visitor asks for a person, or the matter needs one) goes straight to
``on_unresolved``; an *abstention* says the block's ``abstain_text`` and goes there too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any, overload

from sqlalchemy.orm import Session

from relaydesk.conversations.actions import do_note_language, do_resolve
from relaydesk.conversations.queries import recent_turns
from relaydesk.conversations.states import Actor
from relaydesk.workflows.context import End, Goto, ReplyLike, Step, StepContext, VisitorInput, Wait
from relaydesk.workflows.schema import AIBlock

log = logging.getLogger(__name__)

YES = "yes"
NO = "no"
HISTORY_MESSAGES = 12
NOT_UNDERSTOOD = "Could you tell me a bit more about what you need?"


def enter(block: AIBlock, ctx: StepContext) -> Step:
    """Say the block's prompt (if any) and wait for the visitor's question."""
    ctx.data["phase"] = "ask"
    if block.prompt:
        ctx.say(block.prompt)
    return Wait()


def recent_history(session: Session, conversation_id: str) -> list[tuple[str, str]]:
    """Return the conversation's last messages as (author, text), oldest first."""
    return recent_turns(session, conversation_id, last=HISTORY_MESSAGES)


class History(Sequence[tuple[str, str]]):
    """The messages before the question being asked (the newest one), as (author, text).

    It equals ``recent_history`` read just before the question was stored, and is read from
    the database only when used: a reply the messenger prepared before this transaction
    (``PreparedResponder``) does not look at it.
    """

    def __init__(self, ctx: StepContext) -> None:
        self._ctx = ctx
        self._turns: list[tuple[str, str]] | None = None

    def _load(self) -> list[tuple[str, str]]:
        if self._turns is None:
            ctx = self._ctx
            self._turns = recent_turns(
                ctx.session, ctx.conversation.id, last=HISTORY_MESSAGES, skip_newest=1
            )
        return self._turns

    @overload
    def __getitem__(self, index: int) -> tuple[str, str]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, str]]: ...
    def __getitem__(self, index: int | slice) -> tuple[str, str] | Sequence[tuple[str, str]]:
        return self._load()[index]

    def __len__(self) -> int:
        return len(self._load())


def _sources(reply: ReplyLike) -> list[dict[str, Any]]:
    return [{"slug": s.slug, "title": s.title, "url": s.url or None} for s in reply.sources or ()]


def _unresolved(block: AIBlock, ctx: StepContext) -> Step:
    if block.on_unresolved is not None:
        return Goto(block.on_unresolved)
    ctx.data["phase"] = "ask"
    return Wait()


def ask(block: AIBlock, ctx: StepContext, question: str) -> Step:
    """Put the visitor's question to the responder and act on its decision."""
    reply = ctx.responder.respond(question, history=History(ctx))
    meta: dict[str, Any] = {
        "action": reply.action,
        "reason": reply.reason,
        "language": reply.language,
    }
    confidence = getattr(reply, "confidence", None)
    if isinstance(confidence, int | float):
        meta["confidence"] = round(float(confidence), 4)
    log.debug("ai step", extra={"conversation_id": ctx.conversation.id, **meta})
    if reply.language:
        do_note_language(ctx.session, ctx.conversation, reply.language)  # for language branches
    if reply.action == "answer" and reply.answer.strip():
        ctx.say(reply.answer, sources=_sources(reply), meta=meta, template=False)
        if not block.confirm:
            ctx.data["phase"] = "ask"
            return Wait()
        ctx.data["phase"] = "confirm"
        ctx.say(
            block.confirm_text,
            buttons=[{"id": YES, "label": block.yes_label}, {"id": NO, "label": block.no_label}],
        )
        return Wait(buttons=(YES, NO))
    ctx.data["reason"] = reply.reason or reply.action
    if reply.action == "handoff":
        if reply.answer.strip():
            ctx.say(reply.answer, meta=meta, template=False)
        return _unresolved(block, ctx)
    # abstain (or an empty answer): say so, in the visitor's language when the agent wrote one.
    localized = reply.language not in ("", "en") and reply.answer.strip()
    if localized:
        ctx.say(reply.answer, meta=meta, template=False)
    else:
        ctx.say(block.abstain_text, meta=meta)
    return _unresolved(block, ctx)


def typed_choice(block: AIBlock, ctx: StepContext, text: str | None) -> str | None:
    """Return YES/NO when, right after an answer, the visitor typed a button's label."""
    if ctx.data.get("phase") != "confirm" or text is None:
        return None
    typed = _plain(text)
    if typed in {"yes", _plain(block.yes_label)}:
        return YES
    if typed in {"no", _plain(block.no_label)}:
        return NO
    return None


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).casefold().split())


def resume(block: AIBlock, ctx: StepContext, given: VisitorInput) -> Step:
    """Answer a question, or act on the Yes/No after an answer (pressed, or typed)."""
    choice = given.button_id or typed_choice(block, ctx, given.text)
    if choice == YES:
        ctx.data.pop("phase", None)
        if block.on_resolved is not None:
            return Goto(block.on_resolved)
        if block.resolved_text:
            ctx.say(block.resolved_text)
        do_resolve(ctx.session, ctx.conversation, by=Actor.AI)
        return End()
    if choice == NO:
        ctx.data["reason"] = "the visitor said the answer did not help"
        if block.on_unresolved is None:
            ctx.say(block.retry_text)
        return _unresolved(block, ctx)
    question = (given.text or "").strip()
    if not question:
        ctx.say(NOT_UNDERSTOOD)
        return Wait()
    return ask(block, ctx, question)
