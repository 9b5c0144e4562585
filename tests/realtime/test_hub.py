"""The hub: in-process and Redis fan-out behave the same; events go out only after commit."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest

from relaydesk.db.engine import Database
from relaydesk.realtime.hub import (
    InProcessHub,
    RedisHub,
    SubscriptionClosed,
    attach_realtime,
    publish_on_commit,
)
from tests.factories import make_conversation, make_message


@pytest.fixture(params=["inprocess", "redis"])
async def hub(request: pytest.FixtureRequest) -> AsyncIterator[InProcessHub | RedisHub]:
    if request.param == "redis":
        the_hub: InProcessHub | RedisHub = RedisHub(
            request.getfixturevalue("redis_url"), max_queue=8
        )
    else:
        the_hub = InProcessHub(max_queue=8)
    await the_hub.start()
    yield the_hub
    await the_hub.stop()


async def _next(stream: AsyncIterator[dict[str, Any]], timeout: float = 5) -> dict[str, Any]:
    return await asyncio.wait_for(stream.__anext__(), timeout)


# No sleeps after subscribing: subscribe() returns once Redis has confirmed the subscription,
# so an event published right after it is delivered.


async def test_subscribers_get_their_conversations_events_in_order(
    hub: InProcessHub | RedisHub,
) -> None:
    async with hub.subscribe("c1") as one, hub.subscribe("c1") as two, hub.subscribe("c2") as other:
        for n in range(5):
            hub.publish("c1", {"type": "message", "n": n})
        hub.publish("c2", {"type": "status", "status": "resolved"})
        assert [(await _next(one))["n"] for _ in range(5)] == list(range(5))
        assert [(await _next(two))["n"] for _ in range(5)] == list(range(5))
        assert await _next(other) == {"type": "status", "status": "resolved"}
    assert hub.subscriber_count() == 0


async def test_publish_is_safe_from_other_threads(hub: InProcessHub | RedisHub) -> None:
    async with hub.subscribe("c1") as stream:

        def publish_many() -> None:
            for n in range(5):
                hub.publish("c1", {"n": n})

        thread = threading.Thread(target=publish_many)
        thread.start()
        got = [(await _next(stream))["n"] for _ in range(5)]
        thread.join()
    assert got == list(range(5))


async def test_a_subscriber_that_falls_behind_is_dropped(hub: InProcessHub | RedisHub) -> None:
    async with hub.subscribe("c1") as slow, hub.subscribe("c1") as fast:
        for n in range(8):
            hub.publish("c1", {"n": n})
            assert (await _next(fast))["n"] == n
        for n in range(8, 20):
            hub.publish("c1", {"n": n})
        # Each event reaches every subscriber at once: when fast has event 8, slow (whose
        # queue was full) has been dropped. No fixed sleep: Redis may take longer to deliver.
        assert (await _next(fast))["n"] == 8
        received = []
        with pytest.raises(SubscriptionClosed):
            while True:
                received.append((await _next(slow))["n"])
        assert received == list(range(8))


async def test_stopping_the_hub_ends_subscriptions() -> None:
    hub = InProcessHub()
    await hub.start()
    async with hub.subscribe("c1") as stream:
        await hub.stop()
        with pytest.raises(StopAsyncIteration):
            await _next(stream)


@pytest.mark.postgres
async def test_events_are_published_after_commit_and_dropped_on_rollback(
    db: Database, hub: InProcessHub | RedisHub
) -> None:
    attach_realtime(db, hub)
    with db.transaction() as session:
        conv_id = make_conversation(session).id
    async with hub.subscribe(conv_id) as stream:

        def write(fail: bool) -> None:
            from relaydesk.conversations.queries import get_conversation

            with db.transaction() as session:
                conv = get_conversation(session, conv_id)
                make_message(session, conv, text="rolled back" if fail else "kept")
                if fail:
                    raise RuntimeError("failed after writing")

        with pytest.raises(RuntimeError):
            await asyncio.to_thread(write, True)
        await asyncio.to_thread(write, False)
        event = await _next(stream)
        assert event["type"] == "message"
        assert event["message"]["text"] == "kept"
        assert event["message"]["author"] == "visitor"
        with db.transaction() as session:
            publish_on_commit(session, conv_id, {"type": "typing", "author": "ai", "on": True})
        assert await _next(stream) == {"type": "typing", "author": "ai", "on": True}


async def test_a_lost_redis_connection_ends_subscriptions_and_the_hub_recovers(
    redis_server: Any,
) -> None:
    hub = RedisHub(redis_server.url)
    await hub.start()
    try:
        async with hub.subscribe("c1") as stream:
            hub.publish("c1", {"n": 1})
            assert await _next(stream) == {"n": 1}
            redis_server.stop()
            redis_server.start()
            with pytest.raises(SubscriptionClosed):  # events may have been missed
                await _next(stream, timeout=10)
        async with hub.subscribe("c1") as stream:  # the widget reconnects
            hub.publish("c1", {"n": 2})
            assert await _next(stream, timeout=10) == {"n": 2}
    finally:
        await hub.stop()


async def test_a_timed_out_wait_leaves_the_stream_usable() -> None:
    hub = InProcessHub()
    await hub.start()
    async with hub.subscribe("c1") as stream:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(stream.__anext__(), 0.05)  # a keep-alive tick
        hub.publish("c1", {"n": 1})
        assert await _next(stream) == {"n": 1}
    await hub.stop()
