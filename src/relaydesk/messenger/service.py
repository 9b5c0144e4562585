"""The messenger's work behind the HTTP routes: message in → store → workflow → replies.

Every method is synchronous and owns its transaction; the routes run them in the threadpool
(the agent is CPU-bound, and a route must not block the event loop). A visitor is known by
its opaque visitor token only; another contact's conversation is a 404, never a 403, so ids
cannot be probed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from relaydesk.config.queries import get_product_setting, prevent_replies_when_closed
from relaydesk.conversations.actions import (
    STEP_KEY,
    check_can_post,
    do_append_message,
    do_note_step,
    do_publish_typing,
    do_reopen,
    do_start_conversation,
)
from relaydesk.conversations.contact_actions import (
    do_create_contact,
    do_create_visitor_session,
    do_identify_contact,
)
from relaydesk.conversations.queries import (
    find_message_by_client_key,
    get_contact,
    get_conversation_for_contact,
    list_conversations_for_contact,
    list_messages,
    list_messages_by_id,
)
from relaydesk.conversations.schemas import ConversationPublic, MessagePublic, typing_event
from relaydesk.conversations.states import Actor, Status
from relaydesk.db.engine import Database
from relaydesk.db.models.contacts import Contact
from relaydesk.db.models.conversations import Conversation, Message
from relaydesk.errors import (
    ConversationNotFound,
    IdempotencyKeyReused,
    InvalidInput,
    InvalidToken,
    MessageTooLong,
    NotShownHere,
)
from relaydesk.messenger.deploy_rules import SETTING_KEY as DEPLOY_RULES_KEY
from relaydesk.messenger.deploy_rules import parse_deploy_rules
from relaydesk.messenger.gate import FairGate, OpenGate
from relaydesk.messenger.identity import verify_user_jwt
from relaydesk.messenger.queries import (
    find_contact_conversation_for_update,
    find_visitor_session,
)
from relaydesk.messenger.ratelimit import RateLimiter
from relaydesk.messenger.responder import PreparedResponder
from relaydesk.realtime.hub import Hub
from relaydesk.settings import Settings
from relaydesk.workflows.blocks.ai import recent_history
from relaydesk.workflows.context import VisitorInput
from relaydesk.workflows.engine import WorkflowEngine, runs_workflow
from relaydesk.workflows.schema import AIBlock

log = logging.getLogger(__name__)

MAX_TEXT = 4000
MAX_PAGE_URL = 2048
IDENTITY_KEY = "identity"
# Conversation ids are 32 hex characters; anything that cannot be one is not looked up.
_CONVERSATION_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
# A message's position (a 32-bit column); a larger ``after=`` means "after everything".
MAX_SEQ = 2**31 - 1
# An Idempotency-Key: 1 to 100 printable ASCII characters.
_IDEMPOTENCY_KEY = re.compile(r"[\x20-\x7e]{1,100}")


@dataclass(frozen=True)
class Visitor:
    """An authenticated visitor: its token and its contact."""

    token: str
    contact_id: str


def contact_public(contact: Contact) -> dict[str, Any]:
    """Return the contact as the visitor's session sees it."""
    return {
        "id": contact.id,
        "name": contact.name,
        "email": contact.email,
        "verified": bool(contact.verified),
    }


def message_public(message: Any) -> dict[str, Any]:
    """Return a stored message in its public JSON shape."""
    data: dict[str, Any] = MessagePublic.from_message(message).model_dump(mode="json")
    return data


def conversation_summary(conversation: Conversation) -> dict[str, Any]:
    """Return a conversation without its messages (timestamps as in the message shape)."""
    data: dict[str, Any] = ConversationPublic.from_conversation(conversation).model_dump(
        mode="json", exclude={"messages"}
    )
    return data


def conversation_public(session: Session, conversation: Conversation) -> dict[str, Any]:
    """Return a conversation with its visible messages, in its public JSON shape."""
    messages = list_messages(session, conversation.id)
    data: dict[str, Any] = ConversationPublic.from_conversation(conversation, messages).model_dump(
        mode="json"
    )
    return data


def check_storable(value: str, what: str) -> str:
    """Return value; raise InvalidInput (400) if it holds a NUL character or a lone surrogate.

    Neither can be stored (PostgreSQL refuses NUL in text; a lone surrogate is not UTF-8),
    and JSON can carry both (``"\\u0000"``, ``"\\ud800"``).
    """
    if "\x00" in value:
        raise InvalidInput(f"{what} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(f"{what} is not valid Unicode (a lone surrogate)") from exc
    return value


def visitor_input(text: str | None, button_id: str | None) -> VisitorInput:
    """Return the visitor's input; raise InvalidInput (400) unless exactly one is given."""
    if (text is None) == (button_id is None):
        raise InvalidInput('send exactly one of "text" or "button_id"')
    if text is not None:
        if len(text) > MAX_TEXT:
            raise MessageTooLong(
                f"message text is {len(text)} characters; at most {MAX_TEXT} are accepted"
            )
        if not text.strip():
            raise InvalidInput("message text is empty")
        return VisitorInput(text=check_storable(text, "message text"))
    assert button_id is not None
    if not button_id or len(button_id) > 64:
        raise InvalidInput("button_id must have 1 to 64 characters")
    return VisitorInput(button_id=check_storable(button_id, "button_id"))


def idempotency_key(values: list[str]) -> str | None:
    """Return the request's ``Idempotency-Key`` (None without one); InvalidInput (400) if bad."""
    if not values:
        return None
    if len(values) > 1:
        raise InvalidInput("send at most one Idempotency-Key header")
    if not _IDEMPOTENCY_KEY.fullmatch(values[0]):
        raise InvalidInput("Idempotency-Key must have 1 to 100 printable ASCII characters")
    return values[0]


def same_input(message: Message, given: VisitorInput) -> bool:
    """Return whether a stored visitor message was sent as ``given`` (same text or button)."""
    button_id = (message.meta or {}).get("button_id")
    if given.button_id is not None:
        return bool(button_id == given.button_id)
    return button_id is None and message.text == given.text


def check_anonymous_allowed(session: Session) -> None:
    """Raise InvalidToken (401) when the ``identity`` setting requires a user JWT."""
    identity_setting = get_product_setting(session, IDENTITY_KEY) or {}
    if isinstance(identity_setting, dict) and identity_setting.get("require_jwt"):
        raise InvalidToken("this messenger only serves identified visitors (user JWT)")


def own_conversation(session: Session, visitor: Visitor, conversation_id: str) -> Conversation:
    """Return the visitor's conversation; ConversationNotFound (404) for anyone else's."""
    if not _CONVERSATION_ID.fullmatch(conversation_id):
        raise ConversationNotFound("conversation not found")
    return get_conversation_for_contact(session, conversation_id, visitor.contact_id)


def after_seq_of(after: str) -> int | None:
    """Return the seq an ``after=`` value names by number, or None when it is a message id."""
    if not after.isascii() or not after.isdigit():
        return None
    return min(int(after), MAX_SEQ) if len(after) <= 10 else MAX_SEQ


class MessengerService:
    """Sessions, conversations and messages for visitors."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        engine: WorkflowEngine,
        *,
        hub: Hub | None = None,
        messages_per_minute: int = 30,
        conversations_per_minute: int = 10,
        sessions_per_minute: int = 60,
    ) -> None:
        self.settings = settings
        self.db = db
        self.engine = engine
        self.hub = hub
        self.gate: FairGate | OpenGate = FairGate() if db.is_sqlite else OpenGate()
        self.message_limit = RateLimiter(messages_per_minute, what="messages")
        self.conversation_limit = RateLimiter(conversations_per_minute, what="new conversations")
        self.session_limit = RateLimiter(sessions_per_minute, what="new sessions")

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """Yield a session in one transaction, taking turns with the other requests."""
        with self.gate.hold(), self.db.transaction() as session:
            yield session

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """Yield a session for reading, taking turns with the other requests."""
        with self.gate.hold(), self.db.session() as session:
            yield session

    # -- sessions ------------------------------------------------------------------------------

    def _visitor(self, session: Session, token: str | None) -> Visitor:
        if not token:
            raise InvalidToken("missing visitor token: 'Authorization: Bearer <visitor_token>'")
        row = find_visitor_session(session, token)
        if row is None:
            raise InvalidToken("unknown visitor token; start a new session")
        return Visitor(token=token, contact_id=row.contact_id)

    def authenticate(self, token: str | None) -> Visitor:
        """Return the visitor a token belongs to; raise InvalidToken (401) otherwise."""
        with self._session() as session:
            return self._visitor(session, token)

    def open_session(
        self,
        *,
        page_url: str,
        user_jwt: str | None,
        bearer: str | None,
        client: str,
    ) -> dict[str, Any]:
        """Start (or resume) a visitor session on page_url; see the API docs for the rules."""
        if not page_url or len(page_url) > MAX_PAGE_URL:
            raise InvalidInput(f"page_url must have 1 to {MAX_PAGE_URL} characters")
        check_storable(page_url, "page_url")
        identity = verify_user_jwt(self.settings, user_jwt) if user_jwt else None
        with self._transaction() as session:
            rules = parse_deploy_rules(get_product_setting(session, DEPLOY_RULES_KEY))
            if not rules.shows_on(page_url):
                raise NotShownHere("the messenger is not shown on this page (deploy rules)")
            if identity is not None:
                contact = do_identify_contact(
                    session,
                    external_id=identity.user_id,
                    email=identity.email,
                    name=identity.name,
                    attributes=identity.attributes,
                )
                # The same person on the same device (its stored token): keep that token, so a
                # page load does not add a session; someone else's or an unknown one: a new one.
                known = find_visitor_session(session, bearer) if bearer else None
                if bearer and known is not None and known.contact_id == contact.id:
                    token = bearer
                else:
                    token = do_create_visitor_session(session, contact, page_url)
            elif bearer:
                visitor = self._visitor(session, bearer)
                contact = get_contact(session, visitor.contact_id)
                if contact.verified:
                    # A verified contact's token is only resumed with its JWT.
                    raise InvalidToken("this visitor token needs its user JWT; start a new session")
                check_anonymous_allowed(session)
                token = bearer
            else:
                check_anonymous_allowed(session)
                self.session_limit.hit(f"ip:{client}")
                contact = do_create_contact(session)
                token = do_create_visitor_session(session, contact, page_url)
            return {
                "visitor_token": token,
                "contact": contact_public(contact),
                "settings": {
                    "prevent_replies_to_closed": prevent_replies_when_closed(session),
                },
            }

    # -- conversations -------------------------------------------------------------------------

    def start_conversation(
        self, token: str | None, *, page_url: str | None = None, language: str | None = None
    ) -> dict[str, Any]:
        """Start a conversation for the visitor and run the workflow's first step."""
        if page_url is not None:
            check_storable(page_url, "page_url")
        if language is not None:
            check_storable(language, "language")
        with self._transaction() as session:
            visitor = self._visitor(session, token)
            row = find_visitor_session(session, visitor.token)
            contact = session.get(Contact, visitor.contact_id)
            assert contact is not None
            if not contact.verified:
                check_anonymous_allowed(session)
            if page_url is not None:
                rules = parse_deploy_rules(get_product_setting(session, DEPLOY_RULES_KEY))
                if not rules.shows_on(page_url):
                    raise NotShownHere("the messenger is not shown on this page (deploy rules)")
            self.conversation_limit.hit(visitor.token)
            conversation = do_start_conversation(
                session,
                contact,
                channel="messenger",
                page_url=page_url or (row.page_url if row else None),
                language=language,
            )
            messages = self.engine.start(session, conversation)
            summary = conversation_summary(conversation)
            return {
                "id": summary["id"],
                "status": summary["status"],
                "created_at": summary["created_at"],
                "messages": [message_public(m) for m in messages],
            }

    def list_conversations(self, token: str | None) -> dict[str, Any]:
        """Return the visitor's conversations, most recently active first (no messages)."""
        with self._session() as session:
            visitor = self._visitor(session, token)
            rows = list_conversations_for_contact(session, visitor.contact_id)
            return {"conversations": [conversation_summary(c) for c in rows]}

    def get_conversation(self, token: str | None, conversation_id: str) -> dict[str, Any]:
        """Return one of the visitor's conversations with its messages (404 for others)."""
        with self._session() as session:
            visitor = self._visitor(session, token)
            return conversation_public(session, own_conversation(session, visitor, conversation_id))

    def messages_after(
        self, visitor: Visitor, conversation_id: str, after: str | None
    ) -> tuple[str, list[dict[str, Any]]]:
        """Return the conversation's status and its messages after a message id or seq."""
        with self._session() as session:
            conversation = own_conversation(session, visitor, conversation_id)
            if after is None:
                return conversation.status, []
            after_seq = after_seq_of(after)
            if after_seq is None:
                after_seq = 0
                for message in list_messages(session, conversation.id, include_private=True):
                    if message.id == after:
                        after_seq = message.seq
                        break
            messages = list_messages(session, conversation.id, after_seq=after_seq)
            return conversation.status, [message_public(m) for m in messages]

    # -- messages ------------------------------------------------------------------------------

    def post_message(
        self,
        token: str | None,
        conversation_id: str,
        given: VisitorInput,
        *,
        key: str | None = None,
    ) -> dict[str, Any]:
        """Store the visitor's message, run the workflow, and return every message produced.

        When the message is a question for the AI, the agent is asked between two
        transactions (it is CPU work, and SQLite would otherwise stay locked meanwhile); the
        second one stores the message and runs the workflow with that reply. Any other
        message is stored and handled in one transaction.

        With an ``Idempotency-Key`` (``key``) already used in the conversation nothing is
        stored or run: the answer is the first request's (409 if it was another message).
        Both transactions look the key up under the conversation's lock, so two requests with
        one key store once; the unique (conversation, key) constraint is the backstop.
        """
        if given.text is not None:
            warm = getattr(self.engine.responder, "agent", None)
            if callable(warm):
                warm()  # build the agent (it reads the database) before any write lock
        with self._transaction() as session:
            visitor = self._visitor(session, token)
            self.message_limit.hit(visitor.token)
            conversation = self._locked(session, visitor, conversation_id)
            if key is not None and (repeat := self._repeat(session, conversation, key, given)):
                return repeat
            check_can_post(conversation, prevent_replies_when_closed(session))
            label = self.engine.check_input(session, conversation, given)
            asks_ai = given.text is not None and isinstance(
                self.engine.waiting_block(session, conversation), AIBlock
            )
            if not asks_ai or given.text is None:
                return self._store_and_run(session, conversation, given, label, None, key)
            earlier = recent_history(session, conversation.id)
        if self.hub is not None:
            self.hub.publish(conversation_id, typing_event("ai", True))
        reply = self.engine.responder.respond(given.text, history=earlier)
        prepared = PreparedResponder(self.engine.responder, given.text, reply)
        with self._transaction() as session:
            conversation = self._locked(session, visitor, conversation_id)
            # the same key may have been stored while the agent worked (a retry of this one)
            if key is not None and (repeat := self._repeat(session, conversation, key, given)):
                return repeat
            check_can_post(conversation, prevent_replies_when_closed(session))
            label = self.engine.check_input(session, conversation, given)
            return self._store_and_run(session, conversation, given, label, prepared, key)

    def _locked(self, session: Session, visitor: Visitor, conversation_id: str) -> Conversation:
        """Return the visitor's conversation read under a row lock (404 for anyone else's).

        Whatever this request decides (the key unused, the button offered, the status) cannot
        change before it commits.
        """
        conversation = None
        if _CONVERSATION_ID.fullmatch(conversation_id):
            conversation = find_contact_conversation_for_update(
                session, conversation_id, visitor.contact_id
            )
        if conversation is None:
            raise ConversationNotFound("conversation not found")
        return conversation

    def _repeat(
        self, session: Session, conversation: Conversation, key: str, given: VisitorInput
    ) -> dict[str, Any] | None:
        """Return the answer of the request that used ``key`` first, or None if none did."""
        first = find_message_by_client_key(session, conversation.id, key)
        if first is None:
            return None
        if not same_input(first, given):
            raise IdempotencyKeyReused(
                "this Idempotency-Key was already used for another message in this conversation"
            )
        produced = list_messages_by_id(session, conversation.id, first.meta.get(STEP_KEY) or [])
        return {"messages": [message_public(m) for m in [first, *produced]]}

    def _store_and_run(
        self,
        session: Session,
        conversation: Conversation,
        given: VisitorInput,
        label: str | None,
        prepared: PreparedResponder | None,
        key: str | None = None,
    ) -> dict[str, Any]:
        """Store the visitor's message and let the workflow answer it (if it owns the thread)."""
        if conversation.status == Status.RESOLVED.value:
            do_reopen(session, conversation, by=Actor.VISITOR)
        meta = {"button_id": given.button_id} if given.button_id else {}
        mine = do_append_message(
            session,
            conversation,
            author="visitor",
            text=given.text if given.text is not None else (label or ""),
            meta=meta,
            client_key=key,
        )
        replies = []
        if runs_workflow(conversation):
            if prepared is not None:
                # The "off" goes out after the commit, together with the reply itself.
                do_publish_typing(session, conversation, author="ai", on=False)
            replies = self.engine.handle(session, conversation, given, responder=prepared)
        if key is not None:
            do_note_step(session, mine, replies)
        return {"messages": [message_public(m) for m in [mine, *replies]]}
