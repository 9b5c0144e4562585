"""What every outbound deliverer obeys (chatwoot's SendOnChannelService rules).

1. A private note is never sent to the visitor side (the messenger, a user-visible reply).
2. A message that came *from* a remote (it carries a ``source_id``: the remote's own message
   id) is never sent back to that remote; otherwise agent replies would echo in a loop.

``delivery_refusal(message, to=...)`` returns why a message must not be delivered, or None.
Each connector's job handlers call it before any remote call.
"""

from __future__ import annotations

from typing import Literal, Protocol

Side = Literal["remote", "visitor"]


class DeliverableMessage(Protocol):
    """The message fields the delivery rules look at (``db.models.conversations.Message``)."""

    @property
    def private(self) -> bool: ...

    @property
    def source_id(self) -> str | None: ...

    @property
    def author(self) -> str: ...


class Deliverer(Protocol):
    """Delivers stored messages to one remote system."""

    system: str

    async def deliver(self, message_id: str) -> None:
        """Send one stored message to the remote, at most once."""


def delivery_refusal(message: DeliverableMessage, *, to: Side) -> str | None:
    """Return why message must not be delivered to side ``to``, or None when it may be."""
    if to == "visitor" and message.private:
        return "private note: never shown to the visitor"
    if to == "remote" and message.source_id:
        return "came from the remote: never echoed back"
    return None


def may_deliver(message: DeliverableMessage, *, to: Side) -> bool:
    """Tell whether message may be delivered to side ``to``."""
    return delivery_refusal(message, to=to) is None


__all__ = ["DeliverableMessage", "Deliverer", "Side", "delivery_refusal", "may_deliver"]
