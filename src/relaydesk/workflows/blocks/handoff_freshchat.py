"""``handoff_freshchat``: hand the conversation to a live agent in Freshchat.

``do_hand_off`` sets the status to ``with_agent`` and records ``conversation.handed_off`` in
the same transaction; the Freshchat connector's job handler delivers it (contact, transcript,
assignment). From then on the workflow does not answer: visitor messages are relayed.
"""

from __future__ import annotations

from relaydesk.conversations.actions import do_hand_off
from relaydesk.conversations.states import HandoffTarget
from relaydesk.workflows.context import End, Step, StepContext, VisitorInput
from relaydesk.workflows.schema import HandoffFreshchatBlock


def enter(block: HandoffFreshchatBlock, ctx: StepContext) -> Step:
    """Tell the visitor they are being connected, and hand off to Freshchat."""
    ctx.say(block.text, author="system")
    reason = str(ctx.data.get("reason") or f"workflow block {block.id}")
    do_hand_off(ctx.session, ctx.conversation, target=HandoffTarget.FRESHCHAT, reason=reason)
    return End()


def resume(block: HandoffFreshchatBlock, ctx: StepContext, given: VisitorInput) -> Step:
    """Not reached: a handed-off conversation is not run by the workflow."""
    return End()
