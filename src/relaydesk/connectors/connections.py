"""Stored connections to Freshworks: base URL, API key (encrypted at rest), options.

One ``connections`` row per system (``freshchat``, ``freshdesk``, ``crm``). The API key is
encrypted with the data dir's SecretBox (``relaydesk.security.secrets.load_secret_box``) and
only decrypted into a ``StoredConnection`` when a client is built. ``options`` is JSON; for
Freshchat it is ``FreshchatOptions`` (webhook public key, AI agent, escalation group, topic,
field mapping, mirroring, auto-resolve), for the CRM ``CrmOptions`` (bundle alias).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from relaydesk.connectors.actions import do_save_connection, do_update_connection_options
from relaydesk.connectors.errors import NotConnected
from relaydesk.connectors.queries import find_connection
from relaydesk.errors import InvalidInput
from relaydesk.security.secrets import SecretBox

SYSTEMS = ("freshchat", "freshdesk", "crm")
DEFAULT_AUTO_RESOLVE_SECONDS = 24 * 3600


class FreshchatOptions(BaseModel):
    """Freshchat connection options (stored as the connection row's JSON)."""

    webhook_public_key: str | None = Field(
        default=None, description="Freshchat's RSA public key for webhook signatures (PEM)."
    )
    webhook_public_key_previous: str | None = Field(
        default=None, description="The previous public key, still accepted during a rotation."
    )
    ai_agent_id: str | None = Field(default=None, description="The agent that represents the AI.")
    escalation_group_id: str | None = Field(default=None, description="Group handoffs go to.")
    channel_id: str | None = Field(default=None, description="The topic (channel) the AI works in.")
    app_id: str | None = Field(default=None, description="Account app id (from the API).")
    field_mapping: dict[str, str] = Field(
        default_factory=dict,
        description="Contact attribute → Freshchat user property name.",
    )
    mirror_all: bool = Field(
        default=False, description="Mirror every conversation from its first message."
    )
    answer_in_freshchat: bool = Field(
        default=True,
        description="Answer as the AI agent in conversations started in Freshchat's own widget.",
    )
    auto_resolve_seconds: int | None = Field(
        default=None,
        ge=1,
        description=(
            "Inactivity after which a waiting conversation is resolved; None: the product "
            "setting auto_resolve_after_seconds (default 24 hours)."
        ),
    )
    auto_resolve_enabled: bool = Field(default=True, description="Auto-resolve at all.")


class CrmOptions(BaseModel):
    """Freshworks CRM connection options."""

    bundle_alias: str | None = Field(default=None, description="The CRM bundle alias.")


@dataclass
class StoredConnection:
    """A connection with its API key decrypted (never log or return the key)."""

    system: str
    base_url: str
    api_key: str
    options: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"StoredConnection(system={self.system!r}, base_url={self.base_url!r})"

    def freshchat_options(self) -> FreshchatOptions:
        """Return the options as FreshchatOptions."""
        return FreshchatOptions.model_validate(self.options or {})

    def crm_options(self) -> CrmOptions:
        """Return the options as CrmOptions."""
        return CrmOptions.model_validate(self.options or {})


_SUBDOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*$", re.IGNORECASE)


def normalize_base_url(value: str, *, system: str) -> str:
    """Return the API's root URL (scheme + host [+ port]) from a URL or a bare subdomain.

    Freshchat: ``acme`` → ``https://acme.freshchat.com``; ``https://acme.freshchat.com/v2`` →
    ``https://acme.freshchat.com`` (the client adds ``/v2``). Freshdesk: ``acme`` →
    ``https://acme.freshdesk.com`` (``/api/v2`` stripped). CRM: ``acme`` →
    ``https://acme.myfreshworks.com`` (``/crm/sales/api`` stripped).
    """
    raw = value.strip()
    if not raw:
        raise InvalidInput(f"{system}: the base URL is empty")
    if _SUBDOMAIN.match(raw):
        host = {
            "freshchat": "freshchat.com",
            "freshdesk": "freshdesk.com",
            "crm": "myfreshworks.com",
        }.get(system, "freshworks.com")
        return f"https://{raw.lower()}.{host}"
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(f"{system}: {value!r} is not an http(s) URL or a subdomain")
    path = parts.path.rstrip("/")
    for suffix in ("/api/v2", "/v2", "/crm/sales/api", "/api"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    return f"{parts.scheme}://{parts.netloc}{path}"


def save_connection(
    session: Session,
    box: SecretBox,
    *,
    system: str,
    base_url: str,
    api_key: str,
    options: dict[str, Any] | None = None,
) -> StoredConnection:
    """Store (or replace) system's connection, encrypting the API key."""
    if system not in SYSTEMS:
        raise InvalidInput(f"unknown system {system!r}; one of {', '.join(SYSTEMS)}")
    if not api_key.strip():
        raise InvalidInput(f"{system}: the API key is empty")
    url = normalize_base_url(base_url, system=system)
    do_save_connection(
        session,
        system=system,
        base_url=url,
        api_key_encrypted=box.encrypt(api_key.strip()),
        options=options or {},
    )
    return StoredConnection(system, url, api_key.strip(), dict(options or {}))


def load_connection(session: Session, box: SecretBox, system: str) -> StoredConnection | None:
    """Return system's connection with its key decrypted, or None."""
    row = find_connection(session, system)
    if row is None:
        return None
    return StoredConnection(
        system=row.system,
        base_url=row.base_url,
        api_key=box.decrypt(row.api_key_encrypted),
        options=dict(row.options or {}),
    )


def require_connection(session: Session, box: SecretBox, system: str) -> StoredConnection:
    """Return system's connection; raise NotConnected when there is none."""
    found = load_connection(session, box, system)
    if found is None:
        raise NotConnected(f"{system} is not connected: run `relaydesk connect {system}`")
    return found


def update_options(session: Session, system: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Merge changes into system's options; return the new options."""
    row = do_update_connection_options(session, system, changes)
    if row is None:
        raise NotConnected(f"{system} is not connected: run `relaydesk connect {system}`")
    return dict(row.options)


def public_view(conn: StoredConnection) -> dict[str, Any]:
    """Return what an admin may see of a connection: no key, only its last 4 characters."""
    options = dict(conn.options)
    for key in ("webhook_public_key", "webhook_public_key_previous"):
        if options.get(key):
            options[key] = "(set)"
    return {
        "system": conn.system,
        "base_url": conn.base_url,
        "api_key": "…" + conn.api_key[-4:] if len(conn.api_key) > 8 else "(set)",
        "options": options,
    }


__all__ = [
    "DEFAULT_AUTO_RESOLVE_SECONDS",
    "SYSTEMS",
    "CrmOptions",
    "FreshchatOptions",
    "StoredConnection",
    "load_connection",
    "normalize_base_url",
    "public_view",
    "require_connection",
    "save_connection",
    "update_options",
]
