"""The hub: publish a conversation's events, and subscribe to them from a WebSocket.

``publish`` is thread-safe and never blocks: routes run in threadpool threads and jobs run
database work in threads, so events are handed to the hub's event loop. A subscriber gets a
bounded queue; one that falls ``max_queue`` events behind is dropped with
``SubscriptionClosed`` (its widget reconnects and re-reads the conversation, losing nothing).

``InProcessHub`` fans out inside one process. ``RedisHub`` publishes to Redis pub/sub on the
channel ``<prefix><conversation id>`` and fans out what Redis delivers, so every replica
reaches its own sockets. When its Redis connection drops, it ends every subscription with
``SubscriptionClosed`` (events may have been missed) and reconnects; a failed publish is
retried once on a fresh connection. Events are published only after the transaction that produced them
commits: actions call ``publish_on_commit(session, ...)`` and ``attach_realtime`` makes a
session factory publish them from its ``after_commit`` hook.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections import deque
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.orm import Session

from relaydesk.db.after_commit import pending_after_commit, queue_after_commit, register_dispatcher

if TYPE_CHECKING:
    from relaydesk.db.engine import Database
    from relaydesk.settings import Settings

log = logging.getLogger(__name__)

HUB_INFO_KEY = "relaydesk.hub"
AFTER_COMMIT_KIND = "realtime"
DEFAULT_MAX_QUEUE = 256
SUBSCRIBE_TIMEOUT = 5.0


class SubscriptionClosed(Exception):
    """The subscriber fell too far behind (or the hub stopped) and was dropped."""


class Hub(Protocol):
    """Fan-out of conversation events to subscribers."""

    async def start(self) -> None:
        """Bind to the running event loop (and connect, for Redis)."""

    async def stop(self) -> None:
        """End every subscription and disconnect."""

    def publish(self, conversation_id: str, event: dict[str, Any]) -> None:
        """Send event to the conversation's subscribers; thread-safe, never blocks."""

    def subscribe(
        self, conversation_id: str
    ) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]:
        """Return a context manager yielding the conversation's events as they come.

        Once the block is entered, every event published afterwards is delivered (so a
        WebSocket subscribes first, then re-reads what it missed, then streams).
        """


_CLOSED = object()
_OVERFLOW = object()


class _Subscription:
    """One subscriber's bounded queue, living on the hub's event loop.

    A deque and, while its reader waits, one future: an ``asyncio.Queue`` would carry four
    deques and an event for each of the thousand open streams a server may hold.
    """

    __slots__ = ("_items", "_waiter", "ended", "max_queue")

    def __init__(self, max_queue: int) -> None:
        self._items: deque[Any] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self.max_queue = max_queue
        self.ended = False

    def _put(self, item: Any) -> None:
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def get(self) -> Any:
        """Return the next item, waiting for one; cancelling the wait loses nothing."""
        while not self._items:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiter = waiter
            try:
                await waiter
            finally:
                self._waiter = None
        return self._items.popleft()

    def offer(self, event: dict[str, Any]) -> None:
        if self.ended:
            return
        if len(self._items) >= self.max_queue:
            self.ended = True
            self._put(_OVERFLOW)
            return
        self._put(event)

    def close(self) -> None:
        if not self.ended:
            self.ended = True
            self._put(_CLOSED)

    def interrupt(self) -> None:
        """End the subscription with SubscriptionClosed (events may have been missed)."""
        if not self.ended:
            self.ended = True
            self._put(_OVERFLOW)

    def events(self) -> _Stream:
        """Return the iterator over this subscription's events."""
        return _Stream(self)


class _Stream:
    """An async iterator over one subscription; cancelling a pending ``__anext__`` (for
    example ``asyncio.wait_for(anext(stream), 30)`` for a keep-alive) leaves it usable."""

    def __init__(self, sub: _Subscription) -> None:
        self._sub = sub
        self._finished = False

    def __aiter__(self) -> _Stream:
        return self

    async def __anext__(self) -> dict[str, Any]:
        if self._finished:
            raise StopAsyncIteration
        item = await self._sub.get()
        if item is _CLOSED:
            self._finished = True
            raise StopAsyncIteration
        if item is _OVERFLOW:
            self._finished = True
            raise SubscriptionClosed("subscriber fell behind; reconnect and re-read")
        event: dict[str, Any] = item
        return event


class _Fanout:
    """Subscribers by conversation, living on one event loop."""

    def __init__(self, max_queue: int) -> None:
        self.max_queue = max_queue
        self.loop: asyncio.AbstractEventLoop | None = None
        self.subscribers: dict[str, set[_Subscription]] = {}

    def bind(self) -> None:
        loop = asyncio.get_running_loop()
        if self.loop is not None and self.loop is not loop and not self.loop.is_closed():
            raise RuntimeError("hub already bound to another event loop")
        self.loop = loop

    def add(self, conversation_id: str) -> tuple[_Subscription, bool]:
        sub = _Subscription(self.max_queue)
        subs = self.subscribers.setdefault(conversation_id, set())
        first = not subs
        subs.add(sub)
        return sub, first

    def remove(self, conversation_id: str, sub: _Subscription) -> bool:
        """Drop sub; tell whether it was the conversation's last subscriber."""
        subs = self.subscribers.get(conversation_id)
        if subs is None:
            return False
        subs.discard(sub)
        if not subs:
            del self.subscribers[conversation_id]
            return True
        return False

    def deliver(self, conversation_id: str, event: dict[str, Any]) -> None:
        for sub in list(self.subscribers.get(conversation_id, ())):
            sub.offer(event)

    def interrupt_all(self) -> None:
        for subs in self.subscribers.values():
            for sub in subs:
                sub.interrupt()

    def close_all(self) -> None:
        for subs in self.subscribers.values():
            for sub in subs:
                sub.close()
        self.subscribers.clear()

    def call_in_loop(self, fn: Any, *args: Any) -> bool:
        """Run fn(*args) on the hub's loop, from any thread; False if there is no loop."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return False
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            fn(*args)
            return True
        try:
            loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:  # loop closed in between
            return False
        return True

    def subscriber_count(self, conversation_id: str | None = None) -> int:
        if conversation_id is not None:
            return len(self.subscribers.get(conversation_id, ()))
        return sum(len(s) for s in self.subscribers.values())


class InProcessHub:
    """Fan-out within one process over bounded asyncio queues."""

    def __init__(self, *, max_queue: int = DEFAULT_MAX_QUEUE) -> None:
        self._fanout = _Fanout(max_queue)

    async def start(self) -> None:
        """Bind to the running loop; publishing before this drops events (no subscriber yet)."""
        self._fanout.bind()

    async def stop(self) -> None:
        """End every subscription."""
        self._fanout.close_all()

    def publish(self, conversation_id: str, event: dict[str, Any]) -> None:
        """Hand event to the conversation's subscribers (thread-safe)."""
        self._fanout.call_in_loop(self._fanout.deliver, conversation_id, event)

    @asynccontextmanager
    async def subscribe(self, conversation_id: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        """Yield the conversation's events until the block ends."""
        if self._fanout.loop is None:
            self._fanout.bind()
        sub, _ = self._fanout.add(conversation_id)
        try:
            yield sub.events()
        finally:
            self._fanout.remove(conversation_id, sub)

    def subscriber_count(self, conversation_id: str | None = None) -> int:
        """Return how many subscriptions are open (for one conversation, or in all)."""
        return self._fanout.subscriber_count(conversation_id)


class RedisHub:
    """Fan-out across processes through Redis pub/sub; one connection for all subscriptions."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "relaydesk:conversation:",
        max_queue: int = DEFAULT_MAX_QUEUE,
    ) -> None:
        self.url = url
        self.prefix = prefix
        self._fanout = _Fanout(max_queue)
        self._redis: Any = None
        self._pubsub: Any = None
        self._outgoing: asyncio.Queue[tuple[str, str] | None] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._sub_lock: asyncio.Lock | None = None
        self._confirmed: dict[str, asyncio.Event] = {}
        self._control = f"{prefix}_hub:{id(self)}:{threading.get_ident()}"

    async def start(self) -> None:
        """Connect to Redis and start the reader and the publisher tasks."""
        import redis.asyncio as aioredis

        self._fanout.bind()
        self._redis = aioredis.from_url(self.url)
        self._pubsub = self._redis.pubsub()
        await self._pubsub.subscribe(self._control)
        self._outgoing = asyncio.Queue()
        self._sub_lock = asyncio.Lock()
        self._tasks = [
            asyncio.create_task(self._read(), name="relaydesk-redis-hub-reader"),
            asyncio.create_task(self._write(), name="relaydesk-redis-hub-publisher"),
        ]

    async def stop(self) -> None:
        """Flush pending publishes, end every subscription and disconnect."""
        if self._outgoing is not None:
            self._outgoing.put_nowait(None)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._tasks[1]), timeout=5)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        self._fanout.close_all()
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.aclose()
        self._pubsub = self._redis = self._outgoing = None

    def publish(self, conversation_id: str, event: dict[str, Any]) -> None:
        """Queue event for Redis, in order, from any thread."""
        outgoing = self._outgoing
        if outgoing is None:
            log.warning("redis hub not started; event dropped")
            return
        data = json.dumps(event, default=str)
        self._fanout.call_in_loop(outgoing.put_nowait, (self.prefix + conversation_id, data))

    @asynccontextmanager
    async def subscribe(self, conversation_id: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        """Yield the conversation's events (from every replica) until the block ends."""
        if self._pubsub is None or self._sub_lock is None:
            raise RuntimeError("redis hub not started")
        channel = self.prefix + conversation_id
        sub, first = self._fanout.add(conversation_id)
        try:
            if first:
                async with self._sub_lock:
                    self._confirmed[channel] = asyncio.Event()
                    await self._pubsub.subscribe(channel)
            confirmed = self._confirmed.get(channel)
            if confirmed is not None:  # from here on, nothing published is missed
                try:
                    await asyncio.wait_for(confirmed.wait(), timeout=SUBSCRIBE_TIMEOUT)
                except TimeoutError:
                    log.warning("redis did not confirm a subscription in time")
            yield sub.events()
        finally:
            if self._fanout.remove(conversation_id, sub) and self._pubsub is not None:
                with contextlib.suppress(Exception):
                    async with self._sub_lock:
                        if not self._fanout.subscriber_count(conversation_id):
                            self._confirmed.pop(channel, None)
                            await self._pubsub.unsubscribe(channel)

    async def _write(self) -> None:
        assert self._outgoing is not None
        outgoing = self._outgoing
        while True:
            item = await outgoing.get()
            batch = [item]
            while not outgoing.empty() and len(batch) < 500:
                batch.append(outgoing.get_nowait())
            items = [b for b in batch if b is not None]
            if items:
                await self._publish_batch(items)
            if any(b is None for b in batch):
                return

    async def _publish_batch(self, items: list[tuple[str, str]]) -> None:
        for attempt in (1, 2):  # the second try runs on a fresh connection
            try:
                async with self._redis.pipeline(transaction=False) as pipe:
                    for channel, data in items:
                        pipe.publish(channel, data)
                    await pipe.execute()
                return
            except Exception:
                if attempt == 2:
                    log.exception("redis publish failed; %d events dropped", len(items))
                else:
                    await asyncio.sleep(0.2)

    async def _read(self) -> None:
        while True:
            try:
                message = await self._pubsub.get_message(
                    ignore_subscribe_messages=False, timeout=1.0
                )
            except asyncio.CancelledError:
                raise
            except Exception:
                # Events may have been missed while disconnected: end every subscription, so
                # each WebSocket reconnects and re-reads the conversation.
                log.exception("redis hub read failed; subscriptions ended, reconnecting")
                self._fanout.interrupt_all()
                await asyncio.sleep(0.5)
                continue
            if message is None:
                continue
            channel = message.get("channel")
            if isinstance(channel, bytes):
                channel = channel.decode()
            if message.get("type") == "subscribe":
                confirmed = self._confirmed.get(str(channel))
                if confirmed is not None:
                    confirmed.set()
                continue
            if message.get("type") != "message" or not isinstance(channel, str):
                continue
            if not channel.startswith(self.prefix) or channel == self._control:
                continue
            try:
                payload = json.loads(message["data"])
            except (TypeError, ValueError):
                log.warning("undecodable event on %s", channel)
                continue
            self._fanout.deliver(channel[len(self.prefix) :], payload)

    def subscriber_count(self, conversation_id: str | None = None) -> int:
        """Return how many subscriptions are open (for one conversation, or in all)."""
        return self._fanout.subscriber_count(conversation_id)


def build_hub(settings: Settings) -> InProcessHub | RedisHub:
    """Return a RedisHub when ``RELAYDESK_REDIS_URL`` is set, else an InProcessHub."""
    if settings.redis_url:
        return RedisHub(settings.redis_url)
    return InProcessHub()


def publish_on_commit(session: Session, conversation_id: str, event: dict[str, Any]) -> None:
    """Queue event to be published when session's transaction commits (dropped on rollback)."""
    queue_after_commit(session, AFTER_COMMIT_KIND, (conversation_id, event))


def pending_realtime(session: Session) -> list[tuple[str, dict[str, Any]]]:
    """Return the events queued on session and not yet published (tests, debugging)."""
    return list(pending_after_commit(session, AFTER_COMMIT_KIND))


def attach_realtime(db: Database, hub: Hub) -> None:
    """Make every session of db publish its queued events to hub after commit."""
    info = dict(db.sessions.kw.get("info") or {})
    info[HUB_INFO_KEY] = hub
    db.sessions.configure(info=info)


def _publish_committed(session: Session, items: list[tuple[str, dict[str, Any]]]) -> None:
    hub: Hub | None = session.info.get(HUB_INFO_KEY)
    if hub is None:
        return
    for conversation_id, event in items:
        try:
            hub.publish(conversation_id, event)
        except Exception:
            log.exception("realtime publish failed", extra={"conversation_id": conversation_id})


register_dispatcher(AFTER_COMMIT_KIND, _publish_committed)
