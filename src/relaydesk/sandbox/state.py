"""The sandbox's whole world, in memory: keys, options and every record of the three APIs.

Records are plain JSON-ready dicts shaped like the remote API's own objects, so routers can
return them as they are. One re-entrant lock guards every change: the HTTP handlers run on the
server's event loop while the webhook deliverer and tests read from other threads.
"""

from __future__ import annotations

import copy
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from relaydesk.sandbox.signing import WebhookSigner

Record = dict[str, Any]

MAX_CALLS = 10_000


@dataclass(frozen=True)
class SandboxKeys:
    """The API keys the sandbox accepts and the public key its webhooks verify with."""

    freshchat_api_key: str
    freshdesk_api_key: str
    crm_api_key: str
    webhook_public_key_pem: str

    def as_dict(self) -> dict[str, str]:
        """Return the keys as ``GET /_sandbox/keys`` shows them."""
        return {
            "freshchat_api_key": self.freshchat_api_key,
            "freshdesk_api_key": self.freshdesk_api_key,
            "crm_api_key": self.crm_api_key,
            "webhook_public_key_pem": self.webhook_public_key_pem,
        }

    def __getitem__(self, name: str) -> str:
        return self.as_dict()[name]


@dataclass
class SandboxOptions:
    """Tunable behaviour: rate limits, webhook retries, and which API calls echo as webhooks."""

    freshchat_per_minute: int = 1000
    freshdesk_per_minute: int = 400
    crm_per_hour: int = 1000
    webhook_timeout: float = 3.0
    webhook_retry_delays: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 16.0)
    echo_api_messages: bool = True
    echo_api_changes: bool = True
    seed: bool = True


def new_uuid() -> str:
    """Return a Freshchat-style id (a UUID string)."""
    return str(uuid.uuid4())


@dataclass
class FreshchatData:
    """Freshchat records. ``messages`` maps a conversation id to its messages, oldest first."""

    users: dict[str, Record] = field(default_factory=dict)
    conversations: dict[str, Record] = field(default_factory=dict)
    messages: dict[str, list[Record]] = field(default_factory=dict)
    agents: dict[str, Record] = field(default_factory=dict)
    groups: dict[str, Record] = field(default_factory=dict)
    channels: dict[str, Record] = field(default_factory=dict)
    next_internal_id: int = 1000
    next_interaction: int = 1


@dataclass
class FreshdeskData:
    """Freshdesk records. ``conversations`` maps a ticket id to its notes and replies."""

    tickets: dict[int, Record] = field(default_factory=dict)
    conversations: dict[int, list[Record]] = field(default_factory=dict)
    contacts: dict[int, Record] = field(default_factory=dict)
    groups: dict[int, Record] = field(default_factory=dict)
    agents: dict[int, Record] = field(default_factory=dict)
    ticket_fields: list[Record] = field(default_factory=list)
    next_id: int = 1
    next_ticket_id: int = 1


@dataclass
class CrmData:
    """Freshworks CRM records."""

    contacts: dict[int, Record] = field(default_factory=dict)
    sales_accounts: dict[int, Record] = field(default_factory=dict)
    next_id: int = 70000001


class SandboxState:
    """Everything the sandbox knows; ``reset()`` brings it back to the seeded start."""

    def __init__(self, options: SandboxOptions | None = None) -> None:
        self.options = options or SandboxOptions()
        self.lock = threading.RLock()
        self.signer = WebhookSigner.generate()
        self.keys = SandboxKeys(
            freshchat_api_key=_freshchat_token(),
            freshdesk_api_key=secrets.token_urlsafe(15)[:20],
            crm_api_key=secrets.token_urlsafe(16),
            webhook_public_key_pem=self.signer.public_key_pem,
        )
        self.app_id = new_uuid()
        self.account_id = new_uuid()
        self.freshchat = FreshchatData()
        self.freshdesk = FreshdeskData()
        self.crm = CrmData()
        self.calls: list[Record] = []
        self.webhook_url: str | None = None
        self.deliveries: list[Record] = []
        self.reset()

    def reset(self) -> None:
        """Forget every record, call and webhook setting, then seed the demo data again."""
        from relaydesk.sandbox.seed import seed_all

        with self.lock:
            self.freshchat = FreshchatData()
            self.freshdesk = FreshdeskData()
            self.crm = CrmData()
            self.calls = []
            self.webhook_url = None
            self.deliveries = []
            if self.options.seed:
                seed_all(self)

    def record_call(self, system: str, method: str, path: str, status: int) -> None:
        """Remember one API call and the status it got (the newest ``MAX_CALLS`` are kept)."""
        with self.lock:
            self.calls.append({"system": system, "method": method, "path": path, "status": status})
            if len(self.calls) > MAX_CALLS:
                del self.calls[: len(self.calls) - MAX_CALLS]

    def next_freshdesk_id(self) -> int:
        """Return a fresh Freshdesk id (tickets, contacts, groups and notes share the counter)."""
        with self.lock:
            value = self.freshdesk.next_id
            self.freshdesk.next_id += 1
            return value

    def next_ticket_id(self) -> int:
        """Return the next Freshdesk ticket number (1, 2, 3…)."""
        with self.lock:
            value = self.freshdesk.next_ticket_id
            self.freshdesk.next_ticket_id += 1
            return value

    def next_crm_id(self) -> int:
        """Return a fresh CRM id."""
        with self.lock:
            value = self.crm.next_id
            self.crm.next_id += 1
            return value

    def next_internal_id(self) -> int:
        """Return a fresh ``conversation_internal_id``."""
        with self.lock:
            value = self.freshchat.next_internal_id
            self.freshchat.next_internal_id += 1
            return value

    def next_interaction_id(self) -> str:
        """Return a fresh Freshchat ``interaction_id``."""
        with self.lock:
            value = self.freshchat.next_interaction
            self.freshchat.next_interaction += 1
            return f"{self.freshchat.next_internal_id}-{value}"

    def snapshot(self) -> Record:
        """Return a deep copy of the whole state, shaped as ``GET /_sandbox/state`` shows it."""
        with self.lock:
            fc = self.freshchat
            conversations = []
            for conv in fc.conversations.values():
                item = dict(conv)
                item["messages"] = list(fc.messages.get(conv["conversation_id"], []))
                conversations.append(item)
            tickets = []
            for ticket in self.freshdesk.tickets.values():
                item = dict(ticket)
                item["conversations"] = list(self.freshdesk.conversations.get(ticket["id"], []))
                tickets.append(item)
            return copy.deepcopy(
                {
                    "freshchat": {
                        "users": list(fc.users.values()),
                        "conversations": conversations,
                        "agents": list(fc.agents.values()),
                        "groups": list(fc.groups.values()),
                        "channels": list(fc.channels.values()),
                    },
                    "freshdesk": {
                        "tickets": tickets,
                        "contacts": list(self.freshdesk.contacts.values()),
                        "groups": list(self.freshdesk.groups.values()),
                        "agents": list(self.freshdesk.agents.values()),
                        "ticket_fields": list(self.freshdesk.ticket_fields),
                    },
                    "crm": {
                        "contacts": list(self.crm.contacts.values()),
                        "sales_accounts": list(self.crm.sales_accounts.values()),
                    },
                    "calls": list(self.calls),
                    "webhook": {"url": self.webhook_url, "deliveries": list(self.deliveries)},
                }
            )


def _freshchat_token() -> str:
    """Return a token shaped like Freshchat's (a JWT-looking string; only equality matters)."""
    return "eyJhbGciOiJSUzI1NiJ9." + secrets.token_urlsafe(48) + "." + secrets.token_urlsafe(24)
