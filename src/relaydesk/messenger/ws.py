"""The live stream of one conversation: ``/messenger/v1/conversations/{id}/stream?token=…``.

Pushes ``{"type": "message", "message": {…}}``, ``{"type": "status", "status": …}`` and
``{"type": "typing", "author": …, "on": …}``. It first sends ``{"type": "status"}`` with the
current status. With ``?after=<message id or seq>`` it then sends every visible message after
that one before the live events, with no gap and no duplicate: the subscription opens before
the backlog is read, and live copies of backlog messages are skipped.

A bad token or another visitor's conversation closes the socket with 1008 (policy
violation); a subscriber that falls too far behind is closed with 1013 (try again) and
should reconnect with ``after=``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from relaydesk.errors import RelaydeskError
from relaydesk.messenger.service import MessengerService
from relaydesk.realtime.hub import Hub, SubscriptionClosed

log = logging.getLogger(__name__)

router = APIRouter(prefix="/messenger/v1")

POLICY_VIOLATION = 1008
TRY_AGAIN_LATER = 1013


async def _pump(websocket: WebSocket, events: Any, skip: set[str]) -> None:
    async for event in events:
        if event.get("type") == "message":
            message_id = (event.get("message") or {}).get("id")
            if message_id in skip:
                skip.discard(message_id)
                continue
        await websocket.send_json(event)


async def _drain(websocket: WebSocket) -> None:
    """Read (and ignore) what the client sends, until it goes away."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return


@router.websocket("/conversations/{conversation_id}/stream")
async def stream(websocket: WebSocket, conversation_id: str) -> None:
    """Stream a conversation's events to its visitor."""
    service: MessengerService = websocket.app.state.messenger
    hub: Hub = websocket.app.state.hub
    token = websocket.query_params.get("token")
    after = websocket.query_params.get("after") or None
    await websocket.accept()
    try:
        visitor = await run_in_threadpool(service.authenticate, token)
        await run_in_threadpool(service.messages_after, visitor, conversation_id, None)
    except RelaydeskError as exc:
        await websocket.close(code=POLICY_VIOLATION, reason=exc.message[:120])
        return
    async with hub.subscribe(conversation_id) as events:
        try:
            status, backlog = await run_in_threadpool(
                service.messages_after, visitor, conversation_id, after
            )
        except RelaydeskError as exc:
            await websocket.close(code=POLICY_VIOLATION, reason=exc.message[:120])
            return
        skip: set[str] = set()
        try:
            await websocket.send_json({"type": "status", "status": status})
            for message in backlog:
                skip.add(message["id"])
                await websocket.send_json({"type": "message", "message": message})
            pump = asyncio.create_task(_pump(websocket, events, skip))
            drain = asyncio.create_task(_drain(websocket))
            done, pending = await asyncio.wait({pump, drain}, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            for task in done:
                failure = task.exception()
                if isinstance(failure, SubscriptionClosed):
                    await websocket.close(code=TRY_AGAIN_LATER, reason="fell behind; reconnect")
                    return
                if failure is not None and not isinstance(failure, WebSocketDisconnect):
                    raise failure
        except (WebSocketDisconnect, RuntimeError):
            return
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):  # the visitor already left
        await websocket.close()
