"""A local stand-in for the Freshchat, Freshdesk and Freshworks CRM APIs (tests and the demo).

Nothing outside ``relaydesk.cli`` and the tests may import this package: it imitates
Freshworks, it is not part of the product.
"""

from __future__ import annotations

from relaydesk.sandbox.app import create_sandbox_app
from relaydesk.sandbox.server import RunningSandbox, start_sandbox
from relaydesk.sandbox.state import SandboxKeys, SandboxOptions, SandboxState

__all__ = [
    "RunningSandbox",
    "SandboxKeys",
    "SandboxOptions",
    "SandboxState",
    "create_sandbox_app",
    "start_sandbox",
]
