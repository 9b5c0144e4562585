"""``close``: say goodbye (optionally) and resolve the conversation."""

from __future__ import annotations

from relaydesk.conversations.actions import do_resolve
from relaydesk.conversations.states import Actor
from relaydesk.workflows.context import End, Step, StepContext, VisitorInput
from relaydesk.workflows.schema import CloseBlock


def enter(block: CloseBlock, ctx: StepContext) -> Step:
    """Resolve the conversation."""
    if block.text:
        ctx.say(block.text)
    do_resolve(ctx.session, ctx.conversation, by=Actor.AI)
    return End()


def resume(block: CloseBlock, ctx: StepContext, given: VisitorInput) -> Step:
    """Closing again is closing."""
    return enter(block, ctx)
