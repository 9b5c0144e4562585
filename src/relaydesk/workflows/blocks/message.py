"""``message``: say something, then go on."""

from __future__ import annotations

from relaydesk.workflows.context import Goto, Step, StepContext, VisitorInput
from relaydesk.workflows.schema import MessageBlock


def enter(block: MessageBlock, ctx: StepContext) -> Step:
    """Say the block's text and go to the next block."""
    ctx.say(block.text)
    return Goto(block.next)


def resume(block: MessageBlock, ctx: StepContext, given: VisitorInput) -> Step:
    """A message block never waits (reentry enters it): go on."""
    return Goto(block.next)
