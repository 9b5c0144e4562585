"""relaydesk → Freshchat: the handoff with the whole transcript, the relay, status changes.

Every function here runs inside a durable job (``handlers.py``) and may run more than once:
after a timeout whose request Freshchat did carry out, after a 5xx, after relaydesk was
killed between the remote call and the commit that records it. So each step is idempotent:

**Users.** The contact's Freshchat user is found by ``reference_id`` (the site's user id, else
``relaydesk:<contact id>``), then by email, else created; its id is committed on the contact
*before* any conversation is created, so the webhooks Freshchat fires for what we post can be
recognised as our own.

**Conversations.** Just before the conversation is created, the transcript's messages get
the intent mark (``meta.delivery_started``). A run that finds marks but no link looks among
the user's conversations in the topic for one relaydesk has not linked that begins with the
marked transcript: if found it is adopted, never created twice. Without marks nothing is
adopted (a returning customer's older chat is never taken for the handoff). The new
conversation carries the whole transcript in order (visitor messages as the user, AI
messages as the AI agent with sources as links) and is assigned to the escalation group in
the same call; every transcript message's Freshchat id is recorded
(``do_set_message_remote_id``).

**Messages.** A message with a recorded remote id is never posted again. Before the first
post the job commits an intent mark on the message (``meta.delivery_started``); a run that
finds the mark without a remote id (a retry, a restart, an admin's retry of a dead letter)
lists the conversation's messages in Freshchat and adopts one with the same author and text
whose id relaydesk has not recorded yet, instead of posting again. Messages that came from
Freshchat (``source_id``) are never sent back. Earlier messages still undelivered (their
jobs dead-lettered) are posted first, except those Freshchat refused for good
(``meta.delivery_refused``).

**Summary note.** The private note is posted once: a retry looks for it first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy.orm import Session

from relaydesk.connectors.actions import do_mark_delivery_refused, do_mark_delivery_started
from relaydesk.connectors.base import delivery_refusal
from relaydesk.connectors.errors import NotConnected, RemoteRejected
from relaydesk.connectors.freshchat.inbound import add_agent_message
from relaydesk.connectors.freshchat.runtime import (
    ConversationSnapshot,
    FreshchatRuntime,
    snapshot_conversation,
)
from relaydesk.connectors.freshchat.schemas import (
    ConversationCreate,
    ConversationUpdate,
    FreshchatMessage,
    MessageCreate,
    text_part,
)
from relaydesk.connectors.freshchat.transcript import (
    SUMMARY_MARK,
    TranscriptLine,
    find_unrecorded,
    message_body,
    same_message,
    summary_note,
    transcript_lines,
)
from relaydesk.connectors.freshchat.users import ensure_user
from relaydesk.conversations.actions import do_link_remote, do_set_message_remote_id
from relaydesk.conversations.queries import (
    find_conversation_by_freshchat_id,
    find_message,
    get_conversation,
)
from relaydesk.errors import NotFound

if TYPE_CHECKING:
    from relaydesk.jobs.worker import JobContext

log = logging.getLogger(__name__)

Assign = Literal["group", "ai"]


# --- snapshots --------------------------------------------------------------------------------


async def load_snapshot(ctx: JobContext, conversation_id: str) -> ConversationSnapshot | None:
    """Return the conversation's snapshot, or None when it no longer exists (GDPR delete)."""

    def read(session: Session) -> ConversationSnapshot | None:
        try:
            return snapshot_conversation(session, get_conversation(session, conversation_id))
        except NotFound:
            return None

    return await ctx.in_transaction(read)


async def record_remote_ids(ctx: JobContext, pairs: list[tuple[str, str]]) -> None:
    """Remember the Freshchat id of each (message id, remote id)."""

    def write(session: Session) -> None:
        for message_id, remote_id in pairs:
            message = find_message(session, message_id)
            if message is not None and message.remote_id is None:
                do_set_message_remote_id(session, message, remote_id)

    if pairs:
        await ctx.in_transaction(write)


# --- conversations ----------------------------------------------------------------------------


@dataclass
class Created:
    """A Freshchat conversation made (or adopted) for a relaydesk conversation."""

    conversation_id: str
    adopted: bool


def transcript_bodies(
    rt: FreshchatRuntime, snap: ConversationSnapshot, user_id: str
) -> list[tuple[TranscriptLine, MessageCreate]]:
    """Return (line, body) for every message of the transcript, in order."""
    return [
        (
            line,
            message_body(
                line,
                user_id=user_id,
                ai_agent_id=rt.options.ai_agent_id,
                app_id=rt.options.app_id,
            ),
        )
        for line in transcript_lines(snap.lines)
    ]


async def _unlinked(ctx: JobContext, ids: list[str]) -> set[str]:
    def read(session: Session) -> set[str]:
        return {i for i in ids if find_conversation_by_freshchat_id(session, i) is None}

    return await ctx.in_transaction(read)


async def find_created(
    ctx: JobContext,
    rt: FreshchatRuntime,
    user_id: str,
    sent: list[MessageCreate],
) -> str | None:
    """Return an unlinked Freshchat conversation of user_id that starts with sent, or None.

    sent is the transcript an earlier run was about to create the conversation with. The
    conversation must begin with it (private notes aside; same-millisecond messages in any
    order): a customer's older chat that merely contains one of its messages is not it.
    """
    if not sent:
        return None
    channel = rt.options.channel_id
    candidates = await rt.client.list_user_conversations(user_id)
    for conversation_id in sorted(await _unlinked(ctx, candidates)):
        remote = await rt.client.get_conversation(conversation_id)
        if channel and remote.channel_id and remote.channel_id != channel:
            continue
        messages = await rt.client.list_messages(conversation_id)
        if starts_with(messages, sent):
            return conversation_id
    return None


def starts_with(remote: list[FreshchatMessage], sent: list[MessageCreate]) -> bool:
    """Tell whether the first non-private remote messages are exactly sent (any order)."""
    head = [m for m in remote if not m.is_private][: len(sent)]
    if len(head) < len(sent):
        return False
    left = list(head)
    for body in sent:
        match = next((m for m in left if same_message(m, body)), None)
        if match is None:
            return False
        left.remove(match)
    return True


def _pair_remote_ids(
    bodies: list[tuple[TranscriptLine, MessageCreate]], remote: list[FreshchatMessage]
) -> list[tuple[str, str]]:
    """Match transcript lines to the messages Freshchat stored (each remote one used once)."""
    pairs: list[tuple[str, str]] = []
    used: set[str] = set()
    for line, body in bodies:
        for message in remote:
            if message.id not in used and same_message(message, body):
                pairs.append((line.id, message.id))
                used.add(message.id)
                break
    return pairs


async def ensure_remote_conversation(
    ctx: JobContext,
    rt: FreshchatRuntime,
    snap: ConversationSnapshot,
    *,
    assign: Assign,
    attempt: int,
) -> Created:
    """Create (or adopt, on a retry) the Freshchat twin of a conversation, with its transcript."""
    options = rt.options
    if not options.channel_id:
        raise NotConnected("Freshchat has no topic configured: relaydesk configure freshchat")
    if assign == "group" and not options.escalation_group_id:
        raise NotConnected("Freshchat has no escalation group configured")
    user_id = await ensure_user(ctx, rt, snap)
    bodies = transcript_bodies(rt, snap, user_id)
    # The transcript's lines are marked just before the conversation is created: marks
    # without a link mean an earlier run (a timeout, a crash, a dead letter retried by an
    # admin) may have created it, so it is looked for — and only then.
    sent = [body for line, body in bodies if line.delivery_started]
    adopted = await find_created(ctx, rt, user_id, sent) if sent else None
    if adopted is not None:
        remote_messages = await rt.client.list_messages(adopted)
        conversation_id = adopted
    else:
        unmarked = [line.id for line, _ in bodies if not line.delivery_started]

        def mark(session: Session) -> None:
            for message_id in unmarked:
                do_mark_delivery_started(session, message_id, "freshchat")

        if unmarked:
            await ctx.in_transaction(mark)
        created = await rt.client.create_conversation(
            ConversationCreate(
                app_id=options.app_id,
                channel_id=options.channel_id,
                users=[{"id": user_id}],
                messages=[body for _, body in bodies],
                status="new",
                assigned_group_id=options.escalation_group_id if assign == "group" else None,
                assigned_agent_id=options.ai_agent_id if assign == "ai" else None,
            )
        )
        conversation_id = created.conversation_id
        remote_messages = created.messages
        if len(remote_messages) < len(bodies):
            remote_messages = await rt.client.list_messages(conversation_id)
    pairs = _pair_remote_ids(bodies, remote_messages)

    def link(session: Session) -> None:
        conversation = get_conversation(session, snap.id)
        do_link_remote(
            session,
            conversation,
            freshchat_conversation_id=conversation_id,
            freshchat_user_id=user_id,
        )
        for message_id, remote_id in pairs:
            message = find_message(session, message_id)
            if message is not None and message.remote_id is None:
                do_set_message_remote_id(session, message, remote_id)
        for reply in agent_replies:
            add_agent_message(session, conversation, reply)

    # Agents may have replied in an adopted conversation before relaydesk knew it: their
    # webhooks found no conversation, so the replies are taken from Freshchat here.
    ours = {remote_id for _, remote_id in pairs}
    agent_replies = [
        m
        for m in remote_messages
        if adopted is not None
        and m.actor_type == "agent"
        and not m.is_private
        and m.id not in ours
        and not (options.ai_agent_id and m.actor_id == options.ai_agent_id)
    ]
    await ctx.in_transaction(link)
    log.info(
        "freshchat conversation linked",
        extra={
            "conversation_id": snap.id,
            "freshchat_conversation_id": conversation_id,
            "adopted": adopted is not None,
            "messages": len(pairs),
            "agent_replies": len(agent_replies),
        },
    )
    return Created(conversation_id, adopted is not None)


async def post_summary_note(
    rt: FreshchatRuntime, snap: ConversationSnapshot, conversation_id: str, reason: str, *,
    check_first: bool,
) -> None:  # fmt: skip
    """Post the private note for the agent once (a retry looks for it first)."""
    if check_first:
        for message in await rt.client.list_messages(conversation_id):
            if message.is_private and SUMMARY_MARK in message.text:
                return
    text = summary_note(snap.lines, reason=reason, contact_label=snap.contact.label)
    await rt.client.post_message(
        conversation_id,
        MessageCreate(
            message_parts=[text_part(text)],
            message_type="private",
            actor_type="agent" if rt.options.ai_agent_id else "system",
            actor_id=rt.options.ai_agent_id,
            app_id=rt.options.app_id,
        ),
    )


async def deliver_handoff(
    ctx: JobContext, rt: FreshchatRuntime, conversation_id: str, *, reason: str, attempt: int
) -> None:
    """Hand a conversation to the escalation group in Freshchat (create it, or reassign it)."""
    snap = await load_snapshot(ctx, conversation_id)
    if snap is None:
        log.info(
            "handoff of a deleted conversation skipped", extra={"conversation_id": conversation_id}
        )
        return
    if not rt.options.escalation_group_id:
        raise NotConnected("Freshchat has no escalation group configured")
    if snap.linked:
        assert snap.freshchat_conversation_id is not None
        remote_id = snap.freshchat_conversation_id
        await rt.client.update_conversation(
            remote_id,
            ConversationUpdate(
                assigned_group_id=rt.options.escalation_group_id, assigned_agent_id=" "
            ),
        )
        await post_summary_note(rt, snap, remote_id, reason, check_first=True)
        return
    created = await ensure_remote_conversation(ctx, rt, snap, assign="group", attempt=attempt)
    await post_summary_note(
        rt, snap, created.conversation_id, reason, check_first=created.adopted or attempt > 1
    )


def _relay_refusal(line: TranscriptLine, snap: ConversationSnapshot) -> str | None:
    """Return why line is not relayed to the linked Freshchat conversation, or None."""
    refusal = delivery_refusal(line, to="remote")
    if refusal is not None:
        return refusal
    if line.remote_id:
        return "already delivered"
    if line.author not in ("visitor", "ai", "system"):
        return f"{line.author} messages are not relayed"
    if line.author == "visitor" and snap.channel != "messenger":
        return "visitor messages of a Freshchat conversation come from Freshchat"
    return None


def undelivered_before(snap: ConversationSnapshot, line: TranscriptLine) -> list[TranscriptLine]:
    """Return the relayable lines between the last delivered one and line, oldest first.

    Their jobs are dead-lettered (the worker lets later jobs of a conversation run once an
    earlier one is dead): they go out before line, so the order in Freshchat stays the
    order of the conversation. Lines before the last delivered one are the past (such as a
    transcript line Freshchat stored differently) and are left alone.
    """
    delivered = max((x.seq for x in snap.lines if x.remote_id), default=0)
    return sorted(
        (
            x
            for x in snap.lines
            if delivered < x.seq < line.seq
            and not x.delivery_refused  # Freshchat refused it for good: it stays dead
            and _relay_refusal(x, snap) is None
        ),
        key=lambda x: x.seq,
    )


async def _refused(ctx: JobContext, line: TranscriptLine, exc: RemoteRejected) -> None:
    """Remember that Freshchat refused line for good, so later relays do not retry it."""

    def mark(session: Session) -> None:
        do_mark_delivery_refused(session, line.id, "freshchat", exc.message)

    await ctx.in_transaction(mark)


async def _post_line(
    ctx: JobContext,
    rt: FreshchatRuntime,
    snap: ConversationSnapshot,
    line: TranscriptLine,
    *,
    remote: list[FreshchatMessage] | None,
    known: set[str],
) -> str:
    """Post line once: adopt its copy in remote (when given) instead of posting again."""
    assert snap.freshchat_conversation_id is not None and snap.freshchat_user_id is not None
    body = message_body(
        line,
        user_id=snap.freshchat_user_id,
        ai_agent_id=rt.options.ai_agent_id,
        app_id=rt.options.app_id,
    )
    if remote is not None:
        found = find_unrecorded(remote, body, known)
        if found is not None:
            known.add(found.id)
            await record_remote_ids(ctx, [(line.id, found.id)])
            return "found already delivered"
    if not line.delivery_started:

        def mark(session: Session) -> None:
            do_mark_delivery_started(session, line.id, "freshchat")

        await ctx.in_transaction(mark)
    posted = await rt.client.post_message(snap.freshchat_conversation_id, body)
    known.add(posted.id)
    await record_remote_ids(ctx, [(line.id, posted.id)])
    return "delivered"


async def deliver_message(
    ctx: JobContext, rt: FreshchatRuntime, conversation_id: str, message_id: str, *, attempt: int
) -> str:
    """Relay one relaydesk message to the linked Freshchat conversation; return what happened.

    Earlier messages still undelivered (their jobs were dead-lettered) are relayed first.
    """
    snap = await load_snapshot(ctx, conversation_id)
    if snap is None:
        return "conversation gone"
    line = next((x for x in snap.lines if x.id == message_id), None)
    if line is None:
        return "message gone"
    if not snap.linked:
        if rt.options.mirror_all and snap.channel == "messenger" and snap.status == "open":
            await ensure_remote_conversation(ctx, rt, snap, assign="ai", attempt=attempt)
            return "mirrored"
        return "not linked"
    refusal = _relay_refusal(line, snap)
    if refusal is not None:
        return refusal
    assert snap.freshchat_conversation_id is not None and snap.freshchat_user_id is not None
    known = {x.remote_id for x in snap.lines if x.remote_id} | {
        x.source_id for x in snap.lines if x.source_id
    }
    earlier = undelivered_before(snap, line)
    remote: list[FreshchatMessage] | None = None
    if earlier or attempt > 1 or line.delivery_started:
        # an earlier try may have posted it (a timeout, a crash, a dead-lettered job)
        remote = await rt.client.list_messages(snap.freshchat_conversation_id)
    for previous in earlier:
        try:
            outcome = await _post_line(ctx, rt, snap, previous, remote=remote, known=known)
        except RemoteRejected as exc:
            # one message Freshchat will never take must not stall every message after it
            await _refused(ctx, previous, exc)
            outcome = f"refused: {exc.message}"
        log.info(
            "undelivered earlier message relayed first: %s",
            outcome,
            extra={"conversation_id": snap.id, "message_id": previous.id},
        )
    try:
        outcome = await _post_line(ctx, rt, snap, line, remote=remote, known=known)
    except RemoteRejected as exc:
        await _refused(ctx, line, exc)
        raise  # dead-lettered, with the error visible
    return f"{outcome} (after {len(earlier)} earlier)" if earlier else outcome


async def deliver_status(
    ctx: JobContext,
    rt: FreshchatRuntime,
    conversation_id: str,
    *,
    status: Literal["resolved", "reopened"],
) -> str:
    """Resolve or reopen the linked Freshchat conversation; return what happened."""
    snap = await load_snapshot(ctx, conversation_id)
    if snap is None or not snap.linked:
        return "not linked"
    # A late run (a retried dead letter) must not undo what happened since: the jobs of a
    # later resolve/reopen follow this one, so only the current state is sent.
    if (status == "resolved") != (snap.status == "resolved"):
        return f"stale: the conversation is {snap.status} now"
    assert snap.freshchat_conversation_id is not None
    try:
        await rt.client.update_conversation(
            snap.freshchat_conversation_id, ConversationUpdate(status=status)
        )
    except RemoteRejected as exc:
        if exc.status_code == 404:
            return "gone in Freshchat"
        raise
    return status


__all__ = [
    "Created",
    "deliver_handoff",
    "deliver_message",
    "deliver_status",
    "ensure_remote_conversation",
    "find_created",
    "starts_with",
    "load_snapshot",
    "record_remote_ids",
    "transcript_bodies",
]
