"""Freshchat conversation webhook payloads, in the shape Freshchat sends them.

Envelope: ``{"actor": {"actor_type", "actor_id"}, "action", "action_time", "data": {...}}``
with ``data.message`` (``message_create``), ``data.assignment`` (``conversation_assignment``),
``data.resolve`` (``conversation_resolution``) or ``data.reopen`` (``conversation_reopen``).
"""

from __future__ import annotations

from typing import Any

from relaydesk.sandbox.clock import freshchat_time
from relaydesk.sandbox.state import Record


def envelope(action: str, actor_type: str, actor_id: str, data: Record) -> Record:
    """Wrap event data in Freshchat's webhook envelope."""
    return {
        "actor": {"actor_type": actor_type, "actor_id": actor_id},
        "action": action,
        "action_time": freshchat_time(),
        "data": data,
    }


def conversation_summary(conv: Record) -> Record:
    """Return the ``conversation`` sub-object carried by resolve/reopen/assignment events."""
    return {
        "conversation_id": conv["conversation_id"],
        "app_id": conv["app_id"],
        "channel_id": conv["channel_id"],
        "status": conv["status"],
        "assigned_agent_id": conv.get("assigned_agent_id"),
        "assigned_group_id": conv.get("assigned_group_id"),
        "assigned_org_agent_id": conv.get("assigned_agent_id"),
        "skill_id": 0,
        "sla_policy_id": None,
        "sla_breached": False,
        "interaction_id": conv.get("interaction_id"),
    }


def message_create(message: Record) -> Record:
    """Return the ``message_create`` event for a message."""
    return envelope(
        "message_create", message["actor_type"], message["actor_id"], {"message": message}
    )


def conversation_resolution(conv: Record, *, actor_type: str, actor_id: str) -> Record:
    """Return the ``conversation_resolution`` event for a conversation just resolved."""
    data = {
        "resolve": {
            "resolver": actor_type,
            "resolver_id": actor_id,
            "interaction_id": conv.get("interaction_id"),
            "conversation": conversation_summary(conv),
        }
    }
    return envelope("conversation_resolution", actor_type, actor_id, data)


def conversation_reopen(conv: Record, *, actor_type: str, actor_id: str) -> Record:
    """Return the ``conversation_reopen`` event for a conversation just reopened."""
    data = {
        "reopen": {
            "reopener": actor_type,
            "reopener_id": actor_id,
            "interaction_id": conv.get("interaction_id"),
            "conversation": conversation_summary(conv),
        }
    }
    return envelope("conversation_reopen", actor_type, actor_id, data)


def conversation_assignment(
    conv: Record, previous: dict[str, Any], *, actor_type: str, actor_id: str
) -> Record:
    """Return the ``conversation_assignment`` event (``from_*`` is what it was before)."""
    data = {
        "assignment": {
            "assignor": actor_type,
            "assignor_id": actor_id,
            "to_agent_id": conv.get("assigned_agent_id"),
            "to_group_id": conv.get("assigned_group_id"),
            "from_agent_id": previous.get("assigned_agent_id"),
            "from_group_id": previous.get("assigned_group_id"),
            "interaction_id": conv.get("interaction_id"),
            "conversation": conversation_summary(conv),
        }
    }
    return envelope("conversation_assignment", actor_type, actor_id, data)
