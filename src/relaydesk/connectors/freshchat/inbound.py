"""Freshchat → relaydesk: what a verified, de-duplicated webhook event changes.

- ``message_create`` by a human agent: appended to the linked conversation as an agent message
  (``source_id`` = the Freshchat message id, so a redelivery is a no-op) and published to the
  visitor's widget after commit; the conversation becomes the human's if the AI owned it.
  Our own echoes (the AI agent's messages, messages whose id relaydesk recorded) are dropped;
  private notes never reach the visitor.
- ``message_create`` by a user: in a conversation that started in Freshchat's own widget, the
  message is stored and, while the AI owns the conversation, the workflow answers it (the
  relay posts the answer as the AI agent). A new conversation in the configured topic that is
  unassigned or assigned to the AI agent starts such a conversation; other topics and
  conversations assigned to a human are left alone.
- ``conversation_resolution`` / ``conversation_reopen``: resolve / reopen (by ``remote``),
  unless the conversation's current status in Freshchat shows a later event overtook it
  (Freshchat retries a failed delivery later, so deliveries may arrive out of order).
- ``conversation_assignment``: a human agent → the human owns it; the AI agent → the AI does,
  as the conversation's current assignment in Freshchat says (the payload's fields are not
  documented, and a late delivery must not undo a later assignment).
- Anything else, or about a conversation relaydesk does not know: acknowledged and logged.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from relaydesk.connectors.errors import ConnectorError
from relaydesk.connectors.freshchat.runtime import FreshchatRuntime
from relaydesk.connectors.freshchat.schemas import (
    ConversationUpdate,
    FreshchatMessage,
    FreshchatUser,
    WebhookEvent,
)
from relaydesk.connectors.queries import find_unlinked_freshchat_handoff
from relaydesk.conversations.actions import (
    do_append_message,
    do_assign,
    do_create_contact,
    do_link_remote,
    do_reopen,
    do_resolve,
    do_start_conversation,
    do_update_contact,
)
from relaydesk.conversations.queries import (
    find_contact_by_freshchat_user_id,
    find_conversation_by_freshchat_id,
    find_message_by_remote_id,
    find_message_by_source_id,
    is_tombstoned,
    list_messages,
)
from relaydesk.conversations.states import Actor, Assignee, Status
from relaydesk.db.models.conversations import Conversation
from relaydesk.jobs.errors import RetryLater
from relaydesk.workflows.blocks.ai import recent_history
from relaydesk.workflows.context import Responder, VisitorInput
from relaydesk.workflows.schema import AIBlock

if TYPE_CHECKING:
    from relaydesk.jobs.worker import JobContext
    from relaydesk.workflows.engine import WorkflowEngine

log = logging.getLogger(__name__)

ECHO_WAIT_SECONDS = 0.5
ECHO_WAIT_ATTEMPTS = 6


def workflow_engine(ctx: JobContext) -> WorkflowEngine:
    """Return the workflow engine the worker shares with the messenger (built if missing)."""
    engine = ctx.clients.get("workflow_engine")
    if engine is None:
        from relaydesk.messenger.responder import LazyResponder
        from relaydesk.workflows.engine import WorkflowEngine

        engine = ctx.clients["workflow_engine"] = WorkflowEngine(
            LazyResponder(ctx.settings, ctx.db)
        )
    return engine


async def _ready(engine: WorkflowEngine) -> None:
    """Build the AI agent outside any write transaction (it reads the knowledge base)."""
    agent = getattr(engine.responder, "agent", None)
    if callable(agent):
        await asyncio.to_thread(agent)


def _visitor_input(
    engine: WorkflowEngine, session: Session, conversation: Conversation, text: str
) -> VisitorInput:
    """Map a tapped quick reply (its label comes back as text) to the offered button."""
    state = conversation.workflow_state or {}
    offered = state.get("buttons") or [] if state.get("waiting") else []
    if offered:
        from relaydesk.workflows.engine import button_label

        block = engine.waiting_block(session, conversation)
        if block is not None:
            for button_id in offered:
                if button_label(block, button_id).strip().lower() == text.strip().lower():
                    return VisitorInput(button_id=button_id)
    return VisitorInput(text=text)


async def process_event(ctx: JobContext, rt: FreshchatRuntime, event: WebhookEvent) -> str:
    """Apply one webhook event; return a short description of what happened (for the log)."""
    if event.action == "message_create":
        return await _message(ctx, rt, event)
    if event.action in ("conversation_resolution", "conversation_reopen"):
        return await _status(ctx, rt, event)
    if event.action == "conversation_assignment":
        return await _assignment(ctx, rt, event)
    return f"ignored: unknown action {event.action!r}"


async def _linked(ctx: JobContext, fcid: str) -> bool:
    """Tell whether a relaydesk conversation is linked to Freshchat conversation fcid."""

    def known(session: Session) -> bool:
        return find_conversation_by_freshchat_id(session, fcid) is not None

    return await ctx.in_transaction(known)


async def _status(ctx: JobContext, rt: FreshchatRuntime, event: WebhookEvent) -> str:
    fcid = event.conversation_id
    if not fcid:
        return "ignored: no conversation id"

    if not await _linked(ctx, fcid):
        return "ignored: unknown conversation"
    # Freshchat does not promise the order of its deliveries (a failed one is retried later):
    # a resolution retried after the reopen that followed it must not close the conversation.
    # Its current status says which event is the latest.
    try:
        remote = await rt.client.get_conversation(fcid)
    except ConnectorError as exc:
        # gone there, or its API failing while its webhooks still come: the event is applied
        # as it says rather than holding back the conversation's later events
        log.info("freshchat status not checked", extra={"error": exc.message})
    else:
        if (remote.status == "resolved") != (event.action == "conversation_resolution"):
            return f"ignored: stale, the conversation is {remote.status} in Freshchat now"

    def apply(session: Session) -> str:
        conversation = find_conversation_by_freshchat_id(session, fcid)
        if conversation is None:
            return "ignored: unknown conversation"
        if event.action == "conversation_resolution":
            if conversation.status == Status.RESOLVED.value:
                return "already resolved"
            do_resolve(session, conversation, by=Actor.REMOTE)
            return "resolved"
        if conversation.status != Status.RESOLVED.value:
            return "already open"
        do_reopen(session, conversation, by=Actor.REMOTE)
        return "reopened"

    return await ctx.in_transaction(apply)


async def _assignment(ctx: JobContext, rt: FreshchatRuntime, event: WebhookEvent) -> str:
    fcid = event.conversation_id
    if not fcid:
        return "ignored: no conversation id"
    data = event.subject
    raw = data.get("conversation")
    nested: dict[str, Any] = raw if isinstance(raw, dict) else {}
    to_agent = data.get("to_agent_id", nested.get("assigned_agent_id"))
    to_group = data.get("to_group_id", nested.get("assigned_group_id"))
    ai_agent = rt.options.ai_agent_id

    if not await _linked(ctx, fcid):
        return "ignored: unknown conversation"
    # The payload's fields are undocumented and deliveries may come out of order: the
    # conversation's current assignment in Freshchat is the truth (the payload only when
    # Freshchat cannot be asked).
    try:
        remote = await rt.client.get_conversation(fcid)
    except ConnectorError as exc:  # as for status events: the payload then
        log.info("freshchat assignment not checked", extra={"error": exc.message})
    else:
        to_agent = (remote.assigned_agent_id or "").strip() or None
        to_group = (remote.assigned_group_id or "").strip() or None

    def apply(session: Session) -> str:
        conversation = find_conversation_by_freshchat_id(session, fcid)
        if conversation is None:
            return "ignored: unknown conversation"
        if conversation.status == Status.RESOLVED.value:
            return "ignored: resolved"
        if to_agent and to_agent != ai_agent:
            do_assign(
                session, conversation, assignee=Assignee.HUMAN, agent_id=to_agent, group_id=to_group
            )
            return "assigned to a human agent"
        if to_agent and to_agent == ai_agent:
            do_assign(session, conversation, assignee=Assignee.AI, agent_id=None, group_id=to_group)
            return "assigned to the AI agent"
        if to_group and conversation.assignee == Assignee.HUMAN.value:
            do_assign(
                session, conversation, assignee=Assignee.HUMAN, agent_id=None, group_id=to_group
            )
            return "assigned to a group"
        return "ignored: no owner change"

    return await ctx.in_transaction(apply)


async def _message(ctx: JobContext, rt: FreshchatRuntime, event: WebhookEvent) -> str:
    try:
        message = event.message
    except ValidationError as exc:
        # Retrying cannot fix it, and a failing job would hold back the conversation's
        # later events (inbound jobs are ordered per Freshchat conversation).
        log.warning(
            "malformed Freshchat message ignored",
            extra={"freshchat_conversation_id": event.conversation_id, "error": str(exc)[:300]},
        )
        return "ignored: malformed message"
    if message is None or not message.conversation_id:
        return "ignored: no message"
    if message.is_private:
        return "ignored: private note"
    actor = message.actor_type or event.actor.actor_type or "user"
    if actor == "agent":
        if rt.options.ai_agent_id and message.actor_id == rt.options.ai_agent_id:
            return "ignored: our own AI agent's message"
        return await _agent_message(ctx, message)
    if actor == "user":
        return await _user_message(ctx, rt, message)
    return f"ignored: {actor} message"


def _reopener(conversation: Conversation, writer: Actor) -> Actor:
    """Return who reopens a resolved conversation a Freshchat message arrived in.

    Resolved by Freshchat: Freshchat reopens it itself (``remote``). Resolved by relaydesk
    (a close, auto-resolve) while the message was on its way: Freshchat took the close after
    the message and stays resolved unless relaydesk reopens it there too (writer).
    """
    return Actor.REMOTE if conversation.resolved_by == Actor.REMOTE.value else writer


def add_agent_message(
    session: Session, conversation: Conversation, message: FreshchatMessage
) -> str:
    """Append a human agent's Freshchat message (once: ``source_id``); return what happened.

    The conversation becomes the human's if the AI owned it, and reopens if it was resolved.
    """
    if find_message_by_remote_id(session, conversation.id, message.id) is not None:
        return "ignored: our own message"
    if find_message_by_source_id(session, conversation.id, message.id) is not None:
        return "ignored: already added"  # taken when the conversation was adopted
    if conversation.status == Status.RESOLVED.value:
        reopener = _reopener(conversation, Actor.AGENT)
        do_reopen(session, conversation, by=reopener, status=Status.WITH_AGENT)
    if conversation.assignee == Assignee.AI.value:
        do_assign(
            session,
            conversation,
            assignee=Assignee.HUMAN,
            agent_id=message.actor_id,
            group_id=conversation.group_id,
        )
    do_append_message(
        session,
        conversation,
        author="agent",
        text=message.text,
        agent_id=message.actor_id,
        source_id=message.id,
        meta={"freshchat_message_id": message.id},
    )
    return "agent message added"


async def _agent_message(ctx: JobContext, message: FreshchatMessage) -> str:
    fcid = message.conversation_id
    assert fcid is not None

    def apply(session: Session) -> str:
        conversation = find_conversation_by_freshchat_id(session, fcid)
        if conversation is None:
            # a handoff being linked picks it up when it adopts the conversation (sync.py)
            return "ignored: unknown conversation"
        return add_agent_message(session, conversation, message)

    return await ctx.in_transaction(apply)


async def _prepare(
    engine: WorkflowEngine, question: str, history: list[tuple[str, str]]
) -> Responder:
    """Ask the AI before the write transaction (CPU work must not hold SQLite's lock)."""
    from relaydesk.messenger.responder import PreparedResponder

    reply = await asyncio.to_thread(engine.responder.respond, question, history=history)
    return PreparedResponder(engine.responder, question, reply)


async def _user_message(ctx: JobContext, rt: FreshchatRuntime, message: FreshchatMessage) -> str:
    fcid = message.conversation_id
    assert fcid is not None
    engine = workflow_engine(ctx)
    answer = rt.options.answer_in_freshchat
    if answer:
        await _ready(engine)
    text = message.text or " "

    def look(session: Session) -> tuple[str | None, bool, list[tuple[str, str]]]:
        """Return (outcome if nothing to do, whether the AI will be asked, its history)."""
        conversation = find_conversation_by_freshchat_id(session, fcid)
        if conversation is None:
            return None, answer, []
        if find_message_by_remote_id(session, conversation.id, message.id) is not None:
            return "ignored: our own message", False, []
        if conversation.channel == "messenger":
            return (
                "ignored: user message in a messenger conversation (relaydesk posts it)",
                False,
                [],
            )
        asks = (
            answer
            and _ai_may_answer(conversation)
            and isinstance(engine.waiting_block(session, conversation), AIBlock)
        )
        return "", asks, recent_history(session, conversation.id) if asks else []

    skip, asks_ai, history = await ctx.in_transaction(look)
    if skip:
        return skip
    if skip is None:
        return await _new_conversation(ctx, rt, message, engine)
    prepared = await _prepare(engine, text, history) if asks_ai else None

    def store(session: Session) -> str:
        conversation = find_conversation_by_freshchat_id(session, fcid)
        if conversation is None:
            return "ignored: conversation gone"
        if conversation.status == Status.RESOLVED.value:
            do_reopen(session, conversation, by=_reopener(conversation, Actor.VISITOR))
        stored = do_append_message(
            session,
            conversation,
            author="visitor",
            text=message.text,
            source_id=message.id,
            meta={"freshchat_message_id": message.id},
        )
        if answer and _ai_may_answer(conversation):
            given = _visitor_input(engine, session, conversation, stored.text)
            replies = engine.handle(session, conversation, given, responder=prepared)
            return f"visitor message added; {len(replies)} replies"
        return "visitor message added"

    return await ctx.in_transaction(store)


def _ai_may_answer(conversation: Conversation) -> bool:
    return conversation.status == Status.OPEN.value and conversation.assignee == Assignee.AI.value


async def _new_conversation(
    ctx: JobContext,
    rt: FreshchatRuntime,
    message: FreshchatMessage,
    engine: WorkflowEngine,
) -> str:
    options = rt.options
    fcid = message.conversation_id
    assert fcid is not None
    user_id = message.user_id or message.actor_id
    if not user_id:
        return "ignored: no user"

    def in_flight(session: Session) -> list[str] | None:
        """Return the visitor texts of the user's handoff being linked, or None."""
        contact = find_contact_by_freshchat_user_id(session, user_id)
        if contact is None:
            return None
        handoff = find_unlinked_freshchat_handoff(session, contact.id)
        if handoff is None:
            return None
        return [m.text.strip() for m in list_messages(session, handoff) if m.author == "visitor"]

    attempt = ctx.job.attempt if ctx.job is not None else 1
    linking = await ctx.in_transaction(in_flight)
    if linking is not None and attempt < ECHO_WAIT_ATTEMPTS:
        # Probably the echo of a handoff relaydesk is creating right now: look again shortly.
        raise RetryLater(ECHO_WAIT_SECONDS, "a handoff of this user is being linked")
    if linking is not None and (message.text or "").strip() in linking:
        # Still not linked (Freshchat answered too late, or relaydesk restarted): it is the
        # echo of our own transcript. Answering it would put the AI into the conversation
        # handed to the agents; the handoff's retry adopts the conversation instead.
        return "ignored: the echo of a handoff still being linked"
    if not options.answer_in_freshchat:
        return "ignored: answering in Freshchat is off"
    if not options.channel_id or message.channel_id != options.channel_id:
        return "ignored: another topic"
    remote = await rt.client.get_conversation(fcid)
    if remote.assigned_agent_id and remote.assigned_agent_id != options.ai_agent_id:
        return "ignored: assigned to a human agent"
    if remote.status == "resolved":
        return "ignored: resolved in Freshchat"
    user: FreshchatUser | None
    try:
        user = await rt.client.get_user(user_id)
    except ConnectorError:
        user = None
    email = user.email if user else None
    name = " ".join(p for p in (user.first_name, user.last_name) if p) if user else ""

    prepared = await _prepare(engine, message.text or " ", [])

    def start(session: Session) -> str:
        if find_conversation_by_freshchat_id(session, fcid) is not None:
            return "ignored: started meanwhile"
        if is_tombstoned(session, freshchat_user_id=user_id, email=email):
            return "ignored: the contact was deleted"
        contact = find_contact_by_freshchat_user_id(session, user_id)
        if contact is None:
            contact = do_create_contact(session, name=name or None, email=email)
            do_update_contact(session, contact, freshchat_user_id=user_id)
        conversation = do_start_conversation(
            session, contact, channel="freshchat", freshchat_conversation_id=fcid
        )
        do_link_remote(session, conversation, freshchat_user_id=user_id)
        stored = do_append_message(
            session,
            conversation,
            author="visitor",
            text=message.text,
            source_id=message.id,
            meta={"freshchat_message_id": message.id},
        )
        replies = engine.handle(
            session, conversation, VisitorInput(text=stored.text or " "), responder=prepared
        )
        return f"conversation started; {len(replies)} replies"

    outcome = await ctx.in_transaction(start)
    if (
        outcome.startswith("conversation started")
        and options.ai_agent_id
        and not remote.assigned_agent_id
    ):
        try:
            await rt.client.update_conversation(
                fcid, ConversationUpdate(assigned_agent_id=options.ai_agent_id)
            )
        except ConnectorError as exc:
            log.warning(
                "could not assign the conversation to the AI agent", extra={"error": exc.message}
            )
    return outcome


__all__ = ["add_agent_message", "process_event", "workflow_engine"]
