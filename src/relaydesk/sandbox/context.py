"""The running sandbox's parts, reachable from every router through ``SandboxDep``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request

from relaydesk.sandbox.faults import FaultBook
from relaydesk.sandbox.ratelimit import RateLimiter
from relaydesk.sandbox.refusals import (
    Refusal,
    crm_error,
    freshchat_bad_request,
    freshdesk_error,
)
from relaydesk.sandbox.state import Record, SandboxState
from relaydesk.sandbox.webhooks import WebhookDeliverer


@dataclass
class Sandbox:
    """State, webhook deliverer, faults and rate limiters of one sandbox app."""

    state: SandboxState
    deliverer: WebhookDeliverer
    faults: FaultBook = field(default_factory=FaultBook)
    limiters: dict[str, RateLimiter] = field(default_factory=dict)

    @classmethod
    def create(cls, state: SandboxState) -> Sandbox:
        """Build the parts around state, with rate limits from its options."""
        options = state.options
        limiters = {
            "freshchat": RateLimiter(options.freshchat_per_minute, 60.0),
            "freshdesk": RateLimiter(options.freshdesk_per_minute, 60.0),
            "crm": RateLimiter(options.crm_per_hour, 3600.0),
        }
        return cls(state=state, deliverer=WebhookDeliverer(state), limiters=limiters)

    def fire(self, event: Record) -> None:
        """Send a webhook event (if a webhook URL is set)."""
        self.deliverer.fire(event)

    def reset(self) -> None:
        """Back to the seeded start: records, calls, webhook URL, queued deliveries, faults."""
        self.deliverer.cancel_pending()
        self.faults.clear()
        self.state.reset()
        options = self.state.options
        self.limiters["freshchat"].configure(options.freshchat_per_minute)
        self.limiters["freshdesk"].configure(options.freshdesk_per_minute)
        self.limiters["crm"].configure(options.crm_per_hour)


def get_sandbox(request: Request) -> Sandbox:
    """Return the sandbox of the app serving request."""
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]


async def read_json_object(request: Request, system: str) -> dict[str, Any]:
    """Parse the request body as a JSON object, refusing as system's API would."""
    raw = await request.body()
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        value = None
    if isinstance(value, dict):
        return value
    if system == "freshchat":
        raise freshchat_bad_request("Request body has invalid JSON format")
    if system == "freshdesk":
        raise freshdesk_error(400, "invalid_json", "Request body has invalid json format")
    raise crm_error(400, "Request body has invalid JSON format")


__all__ = ["Refusal", "Sandbox", "SandboxDep", "get_sandbox", "read_json_object"]
