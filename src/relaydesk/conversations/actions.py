"""Every change of contacts, conversations and messages: ``check_*`` guards, ``do_*`` writes.

The contact writes live in ``contact_actions`` and are re-exported here.

All take a Session inside the caller's transaction and never commit. A change that must
reach another system records its event (``relaydesk.jobs.outbox.record_event``: one job per
registered handler, same transaction); a change the visitor should see live is queued with
``publish_on_commit`` and published only after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy.orm import Session

from relaydesk.conversations import events
from relaydesk.conversations.auto_resolve import auto_resolve_period
from relaydesk.conversations.contact_actions import (
    check_not_tombstoned,
    do_create_contact,
    do_create_visitor_session,
    do_delete_contact,
    do_forget_late_remote_records,
    do_identify_contact,
    do_update_contact,
)
from relaydesk.conversations.queries import find_message_by_source_id
from relaydesk.conversations.schemas import (
    ButtonPublic,
    InputRequest,
    SourcePublic,
    message_event,
    status_event,
)
from relaydesk.conversations.states import (
    CLOSED_STATUSES,
    Actor,
    Assignee,
    Author,
    HandoffTarget,
    Status,
    check_transition,
)
from relaydesk.db.base import utcnow
from relaydesk.db.models._columns import new_id
from relaydesk.db.models.contacts import Contact
from relaydesk.db.models.conversations import Conversation, Message
from relaydesk.errors import ConversationClosed, InvalidInput, InvalidTransition
from relaydesk.jobs.outbox import record_event
from relaydesk.realtime.hub import publish_on_commit

__all__ = [
    "MAX_TEXT",
    "STEP_KEY",
    "check_can_post",
    "check_hand_off",
    "check_not_tombstoned",
    "do_append_message",
    "do_assign",
    "do_create_contact",
    "do_create_visitor_session",
    "do_delete_contact",
    "do_forget_late_remote_records",
    "do_hand_off",
    "do_identify_contact",
    "do_link_remote",
    "do_note_language",
    "do_note_step",
    "do_publish_typing",
    "do_reopen",
    "do_resolve",
    "do_schedule_auto_resolve",
    "do_set_message_remote_id",
    "do_set_workflow",
    "do_set_workflow_state",
    "do_start_conversation",
    "do_update_contact",
    "lock_conversation",
]

MAX_TEXT = 20_000
# meta of a visitor's message sent with an Idempotency-Key: the ids of the step's messages
STEP_KEY = "step_message_ids"

# -- conversations -------------------------------------------------------------------------


def do_start_conversation(
    session: Session,
    contact: Contact,
    *,
    channel: str = "messenger",
    page_url: str | None = None,
    language: str | None = None,
    freshchat_conversation_id: str | None = None,
) -> Conversation:
    """Start a conversation for contact (AI-owned, open); emit ``conversation.started``."""
    now = utcnow()
    conversation = Conversation(
        contact_id=contact.id,
        channel=channel,
        page_url=page_url,
        language=language,
        freshchat_conversation_id=freshchat_conversation_id,
        freshchat_user_id=contact.freshchat_user_id,
        status=Status.OPEN.value,
        assignee=Assignee.AI.value,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
        workflow_state={},
        message_count=0,
    )
    session.add(conversation)
    session.flush()
    record_event(
        session,
        events.ConversationStarted(
            conversation_id=conversation.id,
            contact_id=contact.id,
            channel=channel,
            page_url=page_url,
            language=language,
            freshchat_conversation_id=freshchat_conversation_id,
        ),
    )
    return conversation


def check_can_post(conversation: Conversation, prevent_replies_when_closed: bool) -> None:
    """Raise ConversationClosed if the visitor may not write to this conversation."""
    if prevent_replies_when_closed and conversation.status in CLOSED_STATUSES:
        raise ConversationClosed(
            "this conversation is closed; start a new conversation",
        )


_LOCKED_FIELDS = [
    "status",
    "assignee",
    "agent_id",
    "group_id",
    "message_count",
    "auto_resolve_at",
    "freshchat_conversation_id",
]


_LOCKS_KEY = "relaydesk.conversation_locks"


def lock_conversation(session: Session, conversation: Conversation) -> None:
    """Serialise writers of one conversation and re-read the fields they decide on.

    PostgreSQL: ``SELECT … FOR UPDATE`` on the row. SQLite: ``BEGIN IMMEDIATE`` already
    serialises every writer; the re-read catches an object loaded in an earlier transaction.
    Once per conversation and transaction: the lock holds until the commit, and meanwhile
    only this session changes the row (a step storing three messages re-reads it once).
    """
    transaction = session.get_transaction()
    held: tuple[object, set[str]] | None = session.info.get(_LOCKS_KEY)
    if held is None or held[0] is not transaction:
        held = (transaction, set())
        session.info[_LOCKS_KEY] = held
    if conversation.id in held[1]:
        return
    session.flush()
    session.refresh(conversation, attribute_names=_LOCKED_FIELDS, with_for_update=True)
    held[1].add(conversation.id)


def _as_dicts(items: Iterable[Any], model: Any) -> list[dict[str, Any]]:
    out = []
    for item in items:
        data = item.model_dump() if hasattr(item, "model_dump") else dict(item)
        out.append(model.model_validate(data).model_dump())
    return out


def _waits_on_customer(conversation: Conversation) -> bool:
    return conversation.status == Status.OPEN.value and conversation.assignee == Assignee.AI.value


def do_append_message(
    session: Session,
    conversation: Conversation,
    *,
    author: Author | str,
    text: str = "",
    buttons: Iterable[Mapping[str, Any] | ButtonPublic] = (),
    sources: Iterable[Mapping[str, Any] | SourcePublic] = (),
    input: Mapping[str, Any] | InputRequest | None = None,
    private: bool = False,
    agent_id: str | None = None,
    source_id: str | None = None,
    meta: Mapping[str, Any] | None = None,
    client_key: str | None = None,
) -> Message:
    """Append a message; emit ``message.created`` and (unless private) a real-time event.

    A message with a ``source_id`` already in the conversation (a redelivered webhook) is
    returned as it is, with no new event. A visitor's or agent's message cancels a pending
    auto-resolve. ``client_key`` is the visitor's ``Idempotency-Key`` (unique per
    conversation; the messenger looks it up before appending).
    """
    author = Author(author)
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"message text is longer than {MAX_TEXT} characters")
    lock_conversation(session, conversation)
    if source_id is not None:
        existing = find_message_by_source_id(session, conversation.id, source_id)
        if existing is not None:
            return existing
    # message_count was re-read under the lock and only appends change it: it is the last seq
    seq = (conversation.message_count or 0) + 1
    now = utcnow()
    input_value: dict[str, Any] | None = None
    if input is not None:
        raw = input.model_dump() if isinstance(input, InputRequest) else dict(input)
        input_value = InputRequest.model_validate(raw).model_dump()
    message = Message(
        id=new_id(),
        conversation_id=conversation.id,
        seq=seq,
        created_at=now,
        author=author.value,
        text=text,
        buttons=_as_dicts(buttons, ButtonPublic),
        sources=_as_dicts(sources, SourcePublic),
        input=input_value,
        private=private,
        agent_id=agent_id,
        source_id=source_id,
        client_key=client_key,
        meta=dict(meta or {}),
    )
    session.add(message)
    conversation.message_count = seq
    conversation.last_activity_at = now
    conversation.updated_at = now
    if not private and author in (Author.VISITOR, Author.AGENT):
        conversation.auto_resolve_at = None
    elif not private and author is Author.AI and _waits_on_customer(conversation):
        period = auto_resolve_period(session)
        conversation.auto_resolve_at = now + timedelta(seconds=period) if period else None
    record_event(
        session,
        events.MessageCreated(
            conversation_id=conversation.id,
            message_id=message.id,
            seq=message.seq,
            author=message.author,
            private=private,
            source_id=source_id,
            agent_id=agent_id,
            channel=conversation.channel,
            status=conversation.status,
        ),
    )
    if not private:
        publish_on_commit(session, conversation.id, message_event(message))
    return message


def do_note_step(session: Session, message: Message, produced: Iterable[Message]) -> None:
    """Remember which messages the step a visitor's message started produced, in order.

    A repeat of the message's ``Idempotency-Key`` answers with exactly these.
    """
    message.meta = {**(message.meta or {}), STEP_KEY: [m.id for m in produced]}
    session.flush()


def do_set_message_remote_id(session: Session, message: Message, remote_id: str) -> None:
    """Remember the id a remote system gave a delivered message (so a retry never resends)."""
    message.remote_id = remote_id
    session.flush()


def _set_status(session: Session, conversation: Conversation, status: Status) -> None:
    conversation.status = status.value
    conversation.updated_at = utcnow()
    publish_on_commit(session, conversation.id, status_event(conversation))


def check_hand_off(conversation: Conversation, target: HandoffTarget | str) -> HandoffTarget:
    """Return the target if conversation may be handed off to it; else raise."""
    try:
        tgt = HandoffTarget(target)
    except ValueError:
        raise InvalidInput(f"unknown handoff target {target!r}") from None
    new = Status.WITH_AGENT if tgt is HandoffTarget.FRESHCHAT else Status.TICKETED
    current = Status(conversation.status)
    if current is new:
        raise InvalidTransition(f"the conversation is already {new.value}")
    check_transition(current, new)
    return tgt


def do_hand_off(
    session: Session,
    conversation: Conversation,
    *,
    target: Literal["freshchat", "freshdesk"] | HandoffTarget,
    reason: str,
) -> Conversation:
    """Hand off to a live agent (freshchat → with_agent) or a ticket (freshdesk → ticketed).

    The assignee becomes human and any auto-resolve is cancelled; emits
    ``conversation.handed_off``. Raises InvalidTransition when already there or resolved.
    """
    lock_conversation(session, conversation)
    tgt = check_hand_off(conversation, target)
    _set_status(
        session,
        conversation,
        Status.WITH_AGENT if tgt is HandoffTarget.FRESHCHAT else Status.TICKETED,
    )
    conversation.assignee = Assignee.HUMAN.value
    conversation.handed_off_to = tgt.value
    conversation.auto_resolve_at = None
    session.flush()
    record_event(
        session,
        events.ConversationHandedOff(
            conversation_id=conversation.id,
            contact_id=conversation.contact_id,
            target=tgt.value,
            reason=reason,
        ),
    )
    return conversation


def do_assign(
    session: Session,
    conversation: Conversation,
    *,
    assignee: Assignee | str,
    agent_id: str | None = None,
    group_id: str | None = None,
) -> Conversation:
    """Change who owns the conversation; emit ``conversation.assigned`` if anything changed.

    Assigning a human to an open conversation makes it with_agent; assigning the AI to a
    with_agent conversation makes it open again. A resolved conversation keeps its status.
    """
    new_assignee = Assignee(assignee)
    lock_conversation(session, conversation)
    previous = conversation.assignee
    if (
        previous == new_assignee.value
        and conversation.agent_id == agent_id
        and conversation.group_id == group_id
    ):
        return conversation
    current = Status(conversation.status)
    if new_assignee is Assignee.HUMAN and current is Status.OPEN:
        _set_status(session, conversation, Status.WITH_AGENT)
    elif new_assignee is Assignee.AI and current is Status.WITH_AGENT:
        _set_status(session, conversation, Status.OPEN)
    conversation.assignee = new_assignee.value
    conversation.agent_id = agent_id
    conversation.group_id = group_id
    conversation.updated_at = utcnow()
    session.flush()
    record_event(
        session,
        events.ConversationAssigned(
            conversation_id=conversation.id,
            assignee=new_assignee.value,
            previous_assignee=previous,
            agent_id=agent_id,
            group_id=group_id,
            status=conversation.status,
        ),
    )
    return conversation


def do_resolve(
    session: Session,
    conversation: Conversation,
    *,
    by: Literal["visitor", "ai", "agent", "system", "remote"] | Actor,
) -> Conversation:
    """Resolve the conversation; emit ``conversation.resolved`` unless it already was."""
    actor = Actor(by)
    lock_conversation(session, conversation)
    if conversation.status == Status.RESOLVED.value:
        conversation.auto_resolve_at = None
        return conversation
    previous = conversation.status
    check_transition(previous, Status.RESOLVED)
    now = utcnow()
    _set_status(session, conversation, Status.RESOLVED)
    conversation.resolved_at = now
    conversation.resolved_by = actor.value
    conversation.auto_resolve_at = None
    session.flush()
    record_event(
        session,
        events.ConversationResolved(
            conversation_id=conversation.id, by=actor.value, previous_status=previous
        ),
    )
    return conversation


def do_reopen(
    session: Session,
    conversation: Conversation,
    *,
    by: Literal["visitor", "ai", "agent", "system", "remote"] | Actor,
    status: Status | None = None,
) -> Conversation:
    """Reopen a resolved conversation; emit ``conversation.reopened``. No-op if not resolved.

    It becomes with_agent when a human owns it in Freshchat, else open (owned by the AI);
    ``status`` chooses explicitly.
    """
    actor = Actor(by)
    lock_conversation(session, conversation)
    if conversation.status != Status.RESOLVED.value:
        return conversation
    if status is None:
        human_in_freshchat = (
            conversation.assignee == Assignee.HUMAN.value
            and conversation.freshchat_conversation_id is not None
        )
        status = Status.WITH_AGENT if human_in_freshchat else Status.OPEN
    check_transition(Status.RESOLVED, status)
    _set_status(session, conversation, status)
    if status is Status.OPEN:
        conversation.assignee = Assignee.AI.value
    elif status is Status.WITH_AGENT:
        conversation.assignee = Assignee.HUMAN.value
    conversation.resolved_at = None
    conversation.resolved_by = None
    conversation.last_activity_at = utcnow()
    session.flush()
    record_event(
        session,
        events.ConversationReopened(
            conversation_id=conversation.id, by=actor.value, status=status.value
        ),
    )
    return conversation


def do_schedule_auto_resolve(
    session: Session, conversation: Conversation, at: datetime | None
) -> None:
    """Resolve the conversation at ``at`` unless a visitor or agent writes first (None cancels)."""
    if at is not None and at.tzinfo is None:
        raise InvalidInput("auto-resolve time must be timezone-aware")
    conversation.auto_resolve_at = at
    session.flush()


def do_set_workflow_state(
    session: Session, conversation: Conversation, state: Mapping[str, Any]
) -> None:
    """Store where the workflow stands in this conversation (a JSON object)."""
    conversation.workflow_state = dict(state)
    conversation.updated_at = utcnow()
    session.flush()


def do_note_language(session: Session, conversation: Conversation, language: str) -> None:
    """Remember the visitor's language when the page gave none (the AI detected it).

    A language the page declared when the conversation started is kept. Written with the
    step's other changes of the conversation row (no flush of its own).
    """
    code = language.strip()
    if conversation.language is None and 2 <= len(code) <= 8 and code.replace("-", "").isalpha():
        conversation.language = code


def do_set_workflow(session: Session, conversation: Conversation, workflow_id: str | None) -> None:
    """Record which workflow runs this conversation."""
    conversation.workflow_id = workflow_id
    session.flush()


def do_link_remote(
    session: Session,
    conversation: Conversation,
    *,
    freshchat_conversation_id: str | None = None,
    freshchat_user_id: str | None = None,
    freshdesk_ticket_id: str | None = None,
) -> None:
    """Remember the remote ids of a conversation (and the contact's Freshchat user id)."""
    if freshchat_conversation_id is not None:
        conversation.freshchat_conversation_id = freshchat_conversation_id
    if freshchat_user_id is not None:
        conversation.freshchat_user_id = freshchat_user_id
        contact = session.get(Contact, conversation.contact_id)
        if contact is not None and contact.freshchat_user_id is None:
            contact.freshchat_user_id = freshchat_user_id
    if freshdesk_ticket_id is not None:
        conversation.freshdesk_ticket_id = freshdesk_ticket_id
    conversation.updated_at = utcnow()
    session.flush()


def do_publish_typing(
    session: Session, conversation: Conversation, *, author: Literal["ai", "agent"], on: bool
) -> None:
    """Tell the visitor's widget (after commit) that the AI or an agent is typing."""
    publish_on_commit(session, conversation.id, {"type": "typing", "author": author, "on": on})
