"""Freshchat API v2 shapes: what we send (``*Create``/``*Update``) and what we read back.

Read models are lenient (unknown fields are kept, most fields optional) because the API's
payloads vary between accounts and payload versions; see docs/reference notes in
``shared/reference/freshworks-api.md`` §1 and §2.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, coerce_numbers_to_str=True)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- message parts --------------------------------------------------------------------------


def text_part(content: str) -> dict[str, Any]:
    """Return a ``{"text": {"content": ...}}`` message part."""
    return {"text": {"content": content}}


def url_button_part(url: str, label: str) -> dict[str, Any]:
    """Return a ``url_button`` message part opening url in a new tab."""
    return {"url_button": {"url": url, "label": label, "target": "_blank"}}


def quick_reply_part(label: str, payload: str, position: int) -> dict[str, Any]:
    """Return a ``quick_reply_button`` reply part."""
    return {
        "quick_reply_button": {
            "label": label,
            "custom_reply_text": label,
            "payload": payload,
            "display_order": position,
        }
    }


def parts_text(parts: list[dict[str, Any]] | None) -> str:
    """Return the readable text of message parts (new ``message_parts`` or old ``msg_parts``)."""
    out: list[str] = []
    for part in parts or []:
        if not isinstance(part, dict):
            continue
        if isinstance(part.get("text"), dict):
            out.append(str(part["text"].get("content") or ""))
        elif part.get("part_type") == "text" and isinstance(part.get("properties"), dict):
            out.append(str(part["properties"].get("text") or ""))
        elif isinstance(part.get("url_button"), dict):
            button = part["url_button"]
            out.append(f"{button.get('label') or ''} {button.get('url') or ''}".strip())
        elif isinstance(part.get("quick_reply_button"), dict):
            out.append(str(part["quick_reply_button"].get("label") or ""))
        elif isinstance(part.get("image"), dict):
            out.append(str(part["image"].get("url") or ""))
        elif isinstance(part.get("file"), dict):
            f = part["file"]
            out.append(f"{f.get('name') or 'file'} {f.get('url') or ''}".strip())
        elif isinstance(part.get("email"), dict):
            out.append(str(part["email"].get("content") or ""))
        elif isinstance(part.get("collection"), dict):
            out.append(parts_text(part["collection"].get("sub_parts")))
    return "\n".join(t for t in out if t)


# --- read models ----------------------------------------------------------------------------


class UserProperty(_Lenient):
    name: str
    value: Any = None


class FreshchatUser(_Lenient):
    """A Freshchat user (an end customer)."""

    id: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    reference_id: str | None = None
    properties: list[UserProperty] = Field(default_factory=list)


class FreshchatMessage(_Lenient):
    """A message in a Freshchat conversation."""

    id: str
    conversation_id: str | None = None
    channel_id: str | None = None
    app_id: str | None = None
    user_id: str | None = None
    actor_type: str = "user"
    actor_id: str | None = None
    message_type: str = "normal"
    message_parts: list[dict[str, Any]] = Field(default_factory=list)
    reply_parts: list[dict[str, Any]] = Field(default_factory=list)
    msg_parts: list[dict[str, Any]] = Field(default_factory=list)
    created_time: str | None = None

    @property
    def text(self) -> str:
        """Return the message's readable text."""
        return parts_text(self.message_parts) or parts_text(self.msg_parts)

    @property
    def is_private(self) -> bool:
        """Tell whether this is a private note (agents only)."""
        return self.message_type == "private"


class FreshchatConversation(_Lenient):
    """A Freshchat conversation."""

    conversation_id: str
    channel_id: str | None = None
    app_id: str | None = None
    user_id: str | None = None
    status: str | None = None
    assigned_agent_id: str | None = None
    assigned_group_id: str | None = None
    messages: list[FreshchatMessage] = Field(default_factory=list)
    users: list[dict[str, Any]] = Field(default_factory=list)


class FreshchatAgent(_Lenient):
    id: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    groups: list[str] = Field(default_factory=list)
    is_deleted: bool = False
    is_deactivated: bool = False

    @property
    def name(self) -> str:
        """Return the agent's display name."""
        return " ".join(p for p in (self.first_name, self.last_name) if p) or (self.email or "")


class FreshchatGroup(_Lenient):
    id: str
    name: str = ""


class FreshchatChannel(_Lenient):
    id: str
    name: str = ""
    enabled: bool = True


class AccountConfiguration(_Lenient):
    """``GET /v2/accounts/configuration``."""

    app_id: str | None = None
    account_id: str | None = None
    organisation_id: str | None = None
    account_domain: str | None = None
    datacenter: str | None = None


class Pagination(_Lenient):
    total_items: int | None = None
    total_pages: int | None = None
    current_page: int | None = None
    items_per_page: int | None = None


# --- write models ---------------------------------------------------------------------------


class UserCreate(_Strict):
    """Body of ``POST /v2/users``."""

    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    reference_id: str | None = None
    properties: list[dict[str, Any]] = Field(default_factory=list)


class MessageCreate(_Strict):
    """Body of ``POST /v2/conversations/{id}/messages`` (and the items of a new conversation)."""

    message_parts: list[dict[str, Any]]
    reply_parts: list[dict[str, Any]] | None = None
    message_type: Literal["normal", "private"] = "normal"
    actor_type: Literal["user", "agent", "system"] = "agent"
    actor_id: str | None = None
    user_id: str | None = None
    app_id: str | None = None


class ConversationCreate(_Strict):
    """Body of ``POST /v2/conversations``."""

    app_id: str | None = None
    channel_id: str
    users: list[dict[str, str]]
    messages: list[MessageCreate]
    status: str | None = None
    assigned_group_id: str | None = None
    assigned_agent_id: str | None = None
    properties: dict[str, Any] | None = None


class ConversationUpdate(_Strict):
    """Body of ``PUT /v2/conversations/{id}``."""

    status: Literal["new", "assigned", "resolved", "reopened"] | None = None
    assigned_agent_id: str | None = None
    assigned_group_id: str | None = None
    properties: dict[str, Any] | None = None


# --- webhooks -------------------------------------------------------------------------------


class WebhookActor(_Lenient):
    actor_type: str | None = None
    actor_id: str | None = None


class WebhookEvent(_Lenient):
    """A Freshchat conversation webhook (after its signature was verified)."""

    actor: WebhookActor = Field(default_factory=WebhookActor)
    action: str
    action_time: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def message(self) -> FreshchatMessage | None:
        """Return ``data.message`` of a ``message_create``, or None."""
        raw = self.data.get("message")
        return FreshchatMessage.model_validate(raw) if isinstance(raw, dict) else None

    @property
    def subject(self) -> dict[str, Any]:
        """Return the event's object: ``data.resolve`` / ``reopen`` / ``assignment``, or {}."""
        for key in ("resolve", "reopen", "assignment", "message"):
            value = self.data.get(key)
            if isinstance(value, dict):
                return value
        return {}

    @property
    def conversation_id(self) -> str | None:
        """Return the Freshchat conversation the event is about, if it names one."""
        subject = self.subject
        if subject.get("conversation_id"):
            return str(subject["conversation_id"])
        conv = subject.get("conversation")
        if isinstance(conv, dict) and conv.get("conversation_id"):
            return str(conv["conversation_id"])
        return None

    def dedup_key(self) -> str:
        """Return the key a redelivery of this event shares (message id, else action+conv+time).

        Without an ``action_time`` the key ends with a digest of the event's content, so a
        later event of the same kind (resolved again after a reopen) is not taken for a
        redelivery of the first.
        """
        message = self.data.get("message")
        if self.action == "message_create" and isinstance(message, dict) and message.get("id"):
            return f"message_create:{message['id']}"
        stamp = self.action_time
        if not stamp:
            content = json.dumps(
                {"actor": self.actor.model_dump(mode="json"), "data": self.data},
                sort_keys=True,
                ensure_ascii=False,
                default=str,
            )
            stamp = "sha256=" + hashlib.sha256(content.encode()).hexdigest()
        return f"{self.action}:{self.conversation_id}:{stamp}"
