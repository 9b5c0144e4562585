"""Connectors to Freshworks: typed HTTP clients, sync logic and webhook receivers.

The shared machinery lives here: ``http`` (client factory, integration log, error mapping),
``errors`` (the connector error tree), ``base`` (delivery rules), ``connections`` (stored,
encrypted connection rows). Each remote system has its own subpackage.
"""

from relaydesk.connectors.errors import (
    AlreadyGone,
    ConnectorError,
    NotConnected,
    RateLimited,
    RemoteRejected,
    TransportFailed,
)

__all__ = [
    "AlreadyGone",
    "ConnectorError",
    "NotConnected",
    "RateLimited",
    "RemoteRejected",
    "TransportFailed",
]
