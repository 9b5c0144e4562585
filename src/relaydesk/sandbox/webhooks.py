"""Webhook delivery: signed POSTs to the configured URL, retried with back-off on failure.

One background thread delivers; every event is scheduled independently, so a failing one
does not hold back the next. Each attempt carries ``X-Freshchat-Signature`` (base64 RSA-SHA256
of the exact body), ``X-Freshchat-Payload-Version`` and ``X-Retry-Count`` (0 on the first try).
Any 2xx is success; anything else, or no answer within the timeout, is retried after the next
delay in ``SandboxOptions.webhook_retry_delays`` until they run out.
"""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import threading
import time
from dataclasses import dataclass, field

import httpx

from relaydesk.sandbox.clock import freshchat_time
from relaydesk.sandbox.signing import SIGNATURE_HEADER
from relaydesk.sandbox.state import Record, SandboxState

log = logging.getLogger(__name__)

PAYLOAD_VERSION = "2"
MAX_DELIVERIES = 1000


@dataclass(order=True)
class _Job:
    due: float
    seq: int
    url: str = field(compare=False)
    body: bytes = field(compare=False)
    record: Record = field(compare=False)
    attempt: int = field(default=0, compare=False)


class WebhookDeliverer:
    """Deliver events for one sandbox state on a background thread."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self._heap: list[_Job] = []
        self._cond = threading.Condition()
        self._seq = itertools.count()
        self._ids = itertools.count(1)
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._generation = 0
        self._busy = False

    def fire(self, event: Record) -> Record | None:
        """Queue event for the configured URL; return its delivery record (None if no URL)."""
        with self.state.lock:
            url = self.state.webhook_url
            if not url:
                return None
            body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            record: Record = {
                "id": next(self._ids),
                "action": event.get("action"),
                "url": url,
                "queued_time": freshchat_time(),
                "attempts": [],
                "status": "pending",
                "payload": event,
            }
            self.state.deliveries.append(record)
            if len(self.state.deliveries) > MAX_DELIVERIES:
                del self.state.deliveries[: len(self.state.deliveries) - MAX_DELIVERIES]
        with self._cond:
            self._ensure_thread()
            heapq.heappush(self._heap, _Job(time.monotonic(), next(self._seq), url, body, record))
            self._cond.notify()
        return record

    def cancel_pending(self) -> None:
        """Drop every queued delivery (used on reset)."""
        with self._cond:
            self._heap.clear()
            self._generation += 1

    def stop(self) -> None:
        """Stop the delivery thread; queued deliveries are dropped."""
        with self._cond:
            self._stopping = True
            self._heap.clear()
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until nothing is queued; return whether that happened within timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._cond:
                if not self._heap and not self._busy:
                    return True
            time.sleep(0.02)
        return False

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="sandbox-webhooks", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        with httpx.Client(timeout=self.state.options.webhook_timeout) as client:
            while True:
                with self._cond:
                    while not self._stopping and (
                        not self._heap or self._heap[0].due > time.monotonic()
                    ):
                        wait = self._heap[0].due - time.monotonic() if self._heap else None
                        self._cond.wait(timeout=wait)
                    if self._stopping:
                        return
                    job = heapq.heappop(self._heap)
                    generation = self._generation
                    self._busy = True
                try:
                    self._attempt(client, job, generation)
                finally:
                    with self._cond:
                        self._busy = False

    def _attempt(self, client: httpx.Client, job: _Job, generation: int) -> None:
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: self.state.signer.sign(job.body),
            "X-Freshchat-Payload-Version": PAYLOAD_VERSION,
            "X-Retry-Count": str(job.attempt),
        }
        started = freshchat_time()
        try:
            response = client.post(job.url, content=job.body, headers=headers)
            status: int | None = response.status_code
            error = None
        except httpx.HTTPError as exc:
            status, error = None, f"{type(exc).__name__}: {exc}"
        ok = status is not None and 200 <= status < 300
        with self.state.lock:
            job.record["attempts"].append({"time": started, "status": status, "error": error})
        delays = self.state.options.webhook_retry_delays
        if ok:
            job.record["status"] = "delivered"
            return
        if job.attempt >= len(delays):
            job.record["status"] = "failed"
            log.info("webhook delivery failed for good", extra={"url": job.url})
            return
        job.record["status"] = "retrying"
        with self._cond:
            if generation != self._generation or self._stopping:
                return
            job.due = time.monotonic() + delays[job.attempt]
            job.attempt += 1
            heapq.heappush(self._heap, job)
            self._cond.notify()
