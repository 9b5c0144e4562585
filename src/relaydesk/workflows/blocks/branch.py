"""``branch``: choose the next block by the visitor's button, or by the first rule that holds."""

from __future__ import annotations

from relaydesk.workflows.conditions import all_hold
from relaydesk.workflows.context import Goto, Step, StepContext, VisitorInput, Wait
from relaydesk.workflows.schema import BranchBlock

REPROMPT = "Please choose one of the options below."


def _offer(block: BranchBlock, ctx: StepContext, text: str) -> Step:
    buttons = block.buttons or []
    ctx.say(text, buttons=[{"id": b.id, "label": b.label} for b in buttons])
    return Wait(buttons=tuple(b.id for b in buttons))


def enter(block: BranchBlock, ctx: StepContext) -> Step:
    """Offer the buttons and wait, or follow the first rule that holds (else ``otherwise``)."""
    if block.buttons:
        return _offer(block, ctx, block.text or REPROMPT)
    for rule in block.rules or []:
        if all_hold(rule.when, ctx):
            return Goto(rule.next)
    return Goto(block.otherwise)


def resume(block: BranchBlock, ctx: StepContext, given: VisitorInput) -> Step:
    """Follow the pressed button; typed text picks the button it names, else ask again."""
    if not block.buttons:
        return enter(block, ctx)
    wanted = given.button_id
    if wanted is None and given.text is not None:
        typed = given.text.strip().casefold()
        for button in block.buttons:
            if typed in {button.label.casefold(), button.id.casefold()}:
                wanted = button.id
    for button in block.buttons:
        if button.id == wanted:
            return Goto(button.next)
    return _offer(block, ctx, REPROMPT)
