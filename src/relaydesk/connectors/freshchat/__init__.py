"""The Freshchat connector: client, webhook verification, handoff and two-way sync."""

from relaydesk.connectors.freshchat.client import FreshchatClient, open_freshchat_http
from relaydesk.connectors.freshchat.webhooks import BadSignature, parse_event, verify_signature

__all__ = [
    "BadSignature",
    "FreshchatClient",
    "open_freshchat_http",
    "parse_event",
    "verify_signature",
]
