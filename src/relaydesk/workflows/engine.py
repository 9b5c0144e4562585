"""The workflow engine: runs a conversation through its workflow document, one step at a time.

``start(session, conv)`` enters the start block; ``handle(session, conv, given)`` resumes the
block the conversation waits at with the visitor's input. Each block returns a step
(``relaydesk.workflows.context``); the engine follows ``Goto`` links until a block waits for
the visitor or the workflow ends, and stores where it stands in ``conv.workflow_state``::

    {"block": "ai", "waiting": true, "buttons": ["yes", "no"], "data": {...}}
    {"block": "human", "done": true}

Once the workflow has ended while the conversation is still open, a visitor's message goes
to the document's ``reentry`` block (default: the first ``ai`` block): an ``ai`` block takes it
as a question; any other block is entered as if the workflow had reached it. The engine does not
run conversations a person owns (``with_agent``, ``ticketed``) or that are resolved.
Both functions write inside the caller's transaction and return the messages they added.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from relaydesk.config.queries import cached_product_setting
from relaydesk.conversations.actions import (
    do_append_message,
    do_set_workflow,
    do_set_workflow_state,
)
from relaydesk.conversations.queries import get_contact
from relaydesk.conversations.states import Assignee, Status
from relaydesk.db.base import utcnow
from relaydesk.db.models.conversations import Conversation, Message
from relaydesk.errors import InvalidInput, UnknownButton
from relaydesk.workflows.blocks import HANDLERS
from relaydesk.workflows.context import (
    End,
    Goto,
    Responder,
    Step,
    StepContext,
    VisitorInput,
    Wait,
)
from relaydesk.workflows.default import default_workflow
from relaydesk.workflows.office_hours import SETTING_KEY as OFFICE_HOURS_KEY
from relaydesk.workflows.office_hours import OfficeHours, parse_office_hours
from relaydesk.workflows.queries import find_active_workflow, find_workflow
from relaydesk.workflows.schema import AIBlock, BlockModel, BranchBlock, WorkflowDocument

log = logging.getLogger(__name__)

DEFAULT_WORKFLOW_ID = "default"
MAX_STEPS = 64
CARRIED = ("reason",)


def runs_workflow(conversation: Conversation) -> bool:
    """Tell whether the workflow (the AI) owns the conversation now."""
    return conversation.status == Status.OPEN.value and conversation.assignee == Assignee.AI.value


class WorkflowEngine:
    """Run conversations through workflow documents with a responder (the AI agent)."""

    def __init__(
        self,
        responder: Responder,
        *,
        clock: Callable[[], datetime] = utcnow,
        max_steps: int = MAX_STEPS,
    ) -> None:
        self.responder = responder
        self.clock = clock
        self.max_steps = max_steps
        self._documents: dict[str, WorkflowDocument] = {}
        self._lock = threading.Lock()

    # -- documents -----------------------------------------------------------------------------

    def _cached(self, workflow_id: str, document: dict[str, Any]) -> WorkflowDocument:
        """Return the stored document, parsed once; the default when it no longer parses.

        Stored documents were validated when set; one an older version accepted and this one
        refuses must not break every conversation running it.
        """
        with self._lock:
            found = self._documents.get(workflow_id)
        if found is None:
            try:
                found = WorkflowDocument.model_validate(document)
            except ValidationError as exc:
                log.error(
                    "stored workflow %s is no longer valid (%d problems); running the default",
                    workflow_id,
                    exc.error_count(),
                )
                found = default_workflow()
            with self._lock:
                self._documents[workflow_id] = found
        return found

    def document_for(
        self, session: Session, conversation: Conversation
    ) -> tuple[str, WorkflowDocument]:
        """Return (id, document) running conversation: its own, else the active one."""
        if conversation.workflow_id == DEFAULT_WORKFLOW_ID:
            return DEFAULT_WORKFLOW_ID, default_workflow()
        if conversation.workflow_id:
            with self._lock:
                cached = self._documents.get(conversation.workflow_id)
            if cached is not None:  # stored documents never change: no need to read it again
                return conversation.workflow_id, cached
            record = find_workflow(session, conversation.workflow_id)
            if record is not None:
                return record.id, self._cached(record.id, record.document)
        record = find_active_workflow(session)
        if record is None:
            return DEFAULT_WORKFLOW_ID, default_workflow()
        return record.id, self._cached(record.id, record.document)

    # -- running -------------------------------------------------------------------------------

    def _context(
        self, session: Session, conversation: Conversation, document: WorkflowDocument
    ) -> StepContext:
        def load_hours() -> OfficeHours:
            try:
                return parse_office_hours(cached_product_setting(session, OFFICE_HOURS_KEY))
            except InvalidInput:
                log.warning("stored office hours are invalid; treating the team as open")
                return OfficeHours.always_open()

        def append(**fields: Any) -> Message:
            return do_append_message(session, conversation, **fields)

        return StepContext(
            session=session,
            conversation=conversation,
            contact_loader=lambda: get_contact(session, conversation.contact_id),
            document=document,
            responder=self.responder,
            now=self.clock(),
            office_hours_loader=load_hours,
            append=append,
        )

    def start(self, session: Session, conversation: Conversation) -> list[Message]:
        """Enter the workflow's start block; return the messages it produced."""
        workflow_id, document = self.document_for(session, conversation)
        do_set_workflow(session, conversation, workflow_id)
        ctx = self._context(session, conversation, document)
        return self._run(ctx, Goto(document.start), current=None)

    def waiting_block(self, session: Session, conversation: Conversation) -> BlockModel | None:
        """Return the block the conversation waits at (or would re-enter), or None."""
        if not runs_workflow(conversation):
            return None
        _, document = self.document_for(session, conversation)
        state = conversation.workflow_state or {}
        blocks = document.by_id()
        if state.get("waiting") and state.get("block") in blocks:
            return blocks[state["block"]]
        return reentry_block(document)

    def check_input(
        self, session: Session, conversation: Conversation, given: VisitorInput
    ) -> str | None:
        """Return the pressed button's label; raise UnknownButton when it is not offered."""
        if given.button_id is None:
            return None
        state = conversation.workflow_state or {}
        offered = state.get("buttons") or [] if state.get("waiting") else []
        if not runs_workflow(conversation) or given.button_id not in offered:
            raise UnknownButton(f"unknown button {given.button_id!r}: it is not offered now")
        block = self.waiting_block(session, conversation)
        return button_label(block, given.button_id) if block is not None else given.button_id

    def handle(
        self,
        session: Session,
        conversation: Conversation,
        given: VisitorInput,
        *,
        responder: Responder | None = None,
    ) -> list[Message]:
        """Resume the workflow with the visitor's input; return the messages it produced.

        ``responder`` replaces the engine's for this step (the messenger passes one holding
        the agent's reply it computed before the write transaction).
        """
        if not runs_workflow(conversation):
            return []
        workflow_id, document = self.document_for(session, conversation)
        if conversation.workflow_id is None:
            do_set_workflow(session, conversation, workflow_id)
        state = conversation.workflow_state or {}
        blocks = document.by_id()
        ctx = self._context(session, conversation, document)
        if responder is not None:
            ctx.responder = responder
        if state.get("waiting") and state.get("block") in blocks:
            block = blocks[state["block"]]
            ctx.data = dict(state.get("data") or {})
        else:
            maybe = reentry_block(document)
            if maybe is None:
                return []
            block = maybe
            ctx.data = {}
            if not isinstance(block, AIBlock):
                # Only an ai block takes the message as its question; any other block is
                # entered (a collect asks its question, a branch shows its buttons).
                return self._run(ctx, Goto(block.id), current=None)
        step = HANDLERS[block.type].resume(block, ctx, given)
        return self._run(ctx, step, current=block.id)

    def _save(self, ctx: StepContext, state: dict[str, Any]) -> None:
        do_set_workflow_state(ctx.session, ctx.conversation, state)

    def _run(self, ctx: StepContext, step: Step, *, current: str | None) -> list[Message]:
        blocks = ctx.document.by_id()
        for _ in range(self.max_steps):
            if isinstance(step, Wait):
                self._save(
                    ctx,
                    {
                        "block": current,
                        "waiting": True,
                        "buttons": list(step.buttons),
                        "data": ctx.data,
                    },
                )
                return ctx.produced
            if isinstance(step, End) or step.target is None:
                self._save(ctx, {"block": current, "done": True})
                return ctx.produced
            block = blocks[step.target]
            current = block.id
            ctx.data = {k: ctx.data[k] for k in CARRIED if k in ctx.data}
            step = HANDLERS[block.type].enter(block, ctx)
        log.error(
            "workflow ran %d steps without waiting; stopped",
            self.max_steps,
            extra={"conversation_id": ctx.conversation.id},
        )
        self._save(ctx, {"block": current, "done": True})
        return ctx.produced


def reentry_block(document: WorkflowDocument) -> BlockModel | None:
    """Return the block a message goes to after the workflow ended: reentry, else the first ai."""
    if document.reentry is not None:
        return document.by_id().get(document.reentry)
    for block in document.blocks:
        if isinstance(block, AIBlock):
            return block
    return None


def button_label(block: BlockModel, button_id: str) -> str:
    """Return the label of a button the block offers (its id when unknown)."""
    if isinstance(block, BranchBlock):
        for button in block.buttons or []:
            if button.id == button_id:
                return button.label
    if isinstance(block, AIBlock):
        return {"yes": block.yes_label, "no": block.no_label}.get(button_id, button_id)
    labels: dict[str, str] = getattr(HANDLERS[block.type], "BUTTON_LABELS", {})
    return labels.get(button_id, button_id)
