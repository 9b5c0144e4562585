"""Real-time fan-out of conversation events to the visitors' WebSockets.

``hub.Hub`` is the interface; ``InProcessHub`` serves one process, ``RedisHub`` several
replicas. ``publish_on_commit`` queues an event on a session; ``attach_realtime`` makes the
session factory publish the queued events after commit (and drop them on rollback).
"""

from relaydesk.realtime.hub import (
    Hub,
    InProcessHub,
    RedisHub,
    SubscriptionClosed,
    attach_realtime,
    build_hub,
    publish_on_commit,
)

__all__ = [
    "Hub",
    "InProcessHub",
    "RedisHub",
    "SubscriptionClosed",
    "attach_realtime",
    "build_hub",
    "publish_on_commit",
]
