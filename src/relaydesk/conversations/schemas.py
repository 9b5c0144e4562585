"""Public shapes of messages and conversations (what the widget and the messenger API see)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from relaydesk.db.models.conversations import Conversation, Message


class ButtonPublic(BaseModel):
    """A button the visitor may press."""

    model_config = ConfigDict(extra="ignore")

    id: str
    label: str


class SourcePublic(BaseModel):
    """An article an answer is based on."""

    model_config = ConfigDict(extra="ignore")

    slug: str
    title: str
    url: str | None = None


class InputRequest(BaseModel):
    """A request for the visitor to type a value (email, name, a custom attribute)."""

    model_config = ConfigDict(extra="ignore")

    field: str
    label: str


class MessagePublic(BaseModel):
    """A message as the visitor sees it."""

    id: str
    author: str
    text: str
    buttons: list[ButtonPublic] = Field(default_factory=list)
    sources: list[SourcePublic] = Field(default_factory=list)
    input: InputRequest | None = None
    created_at: datetime

    @classmethod
    def from_message(cls, message: Message) -> MessagePublic:
        """Return the public shape of a stored message."""
        return cls(
            id=message.id,
            author=message.author,
            text=message.text or "",
            buttons=[ButtonPublic.model_validate(b) for b in message.buttons or []],
            sources=[SourcePublic.model_validate(s) for s in message.sources or []],
            input=InputRequest.model_validate(message.input) if message.input else None,
            created_at=message.created_at,
        )


class ConversationPublic(BaseModel):
    """A conversation as the visitor sees it, with its (non-private) messages."""

    id: str
    status: str
    created_at: datetime
    last_activity_at: datetime
    messages: list[MessagePublic] = Field(default_factory=list)

    @classmethod
    def from_conversation(
        cls, conversation: Conversation, messages: list[Message] | None = None
    ) -> ConversationPublic:
        """Return the public shape of a conversation; private messages are left out."""
        return cls(
            id=conversation.id,
            status=conversation.status,
            created_at=conversation.created_at,
            last_activity_at=conversation.last_activity_at,
            messages=[MessagePublic.from_message(m) for m in messages or [] if not m.private],
        )


def message_event(message: Message) -> dict[str, Any]:
    """Return the real-time event announcing a message: ``{"type": "message", "message": …}``."""
    return {
        "type": "message",
        "message": MessagePublic.from_message(message).model_dump(mode="json"),
    }


def status_event(conversation: Conversation) -> dict[str, Any]:
    """Return the real-time event announcing a status: ``{"type": "status", "status": …}``."""
    return {"type": "status", "status": conversation.status}


def typing_event(author: str, on: bool) -> dict[str, Any]:
    """Return the real-time typing event: ``{"type": "typing", "author": …, "on": …}``."""
    return {"type": "typing", "author": author, "on": on}
