"""What a block works with: the visitor's input, the step context, and the step it returns.

A block module has two functions: ``enter(block, ctx) -> Step`` when the workflow reaches
the block, and ``resume(block, ctx, given) -> Step`` when the visitor answers while the
workflow waits there. A step is ``Goto(block_id)`` (``None`` ends the workflow),
``Wait(buttons)`` (stop here until the visitor answers; ``buttons`` are the ids offered) or
``End()`` (the conversation left the workflow: handed off or closed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from relaydesk.db.models.contacts import Contact
from relaydesk.db.models.conversations import Conversation, Message
from relaydesk.workflows.office_hours import OfficeHours
from relaydesk.workflows.schema import PLACEHOLDER, WorkflowDocument

# ---- the responder (the AI agent) ------------------------------------------------------------


class SourceLike(Protocol):
    """An article an answer cites."""

    @property
    def slug(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def url(self) -> str | None: ...


class ReplyLike(Protocol):
    """What the agent decided: answer, handoff or abstain, with the answer and its sources."""

    @property
    def action(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def sources(self) -> Sequence[SourceLike]: ...
    @property
    def language(self) -> str: ...
    @property
    def reason(self) -> str: ...


class Responder(Protocol):
    """The AI agent as the engine sees it (``relaydesk.agent.Agent`` fits)."""

    def respond(self, message: str, *, history: Sequence[tuple[str, str]] = ...) -> ReplyLike: ...


# ---- input and steps -------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitorInput:
    """What the visitor sent: some text, or the id of a button it pressed (exactly one)."""

    text: str | None = None
    button_id: str | None = None

    def __post_init__(self) -> None:
        if (self.text is None) == (self.button_id is None):
            raise ValueError("give exactly one of text or button_id")


@dataclass(frozen=True)
class Goto:
    """Go on to block ``target`` (None: the workflow ends, the conversation stays open)."""

    target: str | None


@dataclass(frozen=True)
class Wait:
    """Wait at this block for the visitor; ``buttons`` lists the button ids now offered."""

    buttons: tuple[str, ...] = ()


@dataclass(frozen=True)
class End:
    """The conversation left the workflow (handed off or resolved)."""


Step = Goto | Wait | End

# ---- the context -----------------------------------------------------------------------------

Say = Callable[..., Message]


@dataclass
class StepContext:
    """Everything a block may use while it runs, for one conversation and one step."""

    session: Session
    conversation: Conversation
    contact_loader: Callable[[], Contact]
    document: WorkflowDocument
    responder: Responder
    now: datetime
    office_hours_loader: Callable[[], OfficeHours]
    append: Say
    data: dict[str, Any] = field(default_factory=dict)
    produced: list[Message] = field(default_factory=list)
    _office_hours: OfficeHours | None = None
    _contact: Contact | None = None

    @property
    def contact(self) -> Contact:
        """Return the conversation's contact (read when a block first needs it)."""
        if self._contact is None:
            self._contact = self.contact_loader()
        return self._contact

    @property
    def office_hours(self) -> OfficeHours:
        """Return the office hours (read once per step)."""
        if self._office_hours is None:
            self._office_hours = self.office_hours_loader()
        return self._office_hours

    def render(self, text: str) -> str:
        """Fill ``{next_open}``, ``{contact.name}`` and ``{contact.email}`` into text."""

        def fill(match: Any) -> str:
            key = match.group(1)
            if key == "next_open":
                return self.office_hours.describe_next_open(self.now)
            if key == "contact.name":
                return self.contact.name or "there"
            return self.contact.email or ""

        return PLACEHOLDER.sub(fill, text)

    def say(
        self,
        text: str,
        *,
        author: str = "ai",
        buttons: Sequence[dict[str, str]] = (),
        sources: Sequence[dict[str, Any]] = (),
        input: dict[str, str] | None = None,
        meta: dict[str, Any] | None = None,
        template: bool = True,
    ) -> Message:
        """Add a message to the conversation and keep it among the step's results.

        ``template``: fill the placeholders (the workflow's own texts); the agent's answers
        are said as they are.
        """
        message = self.append(
            text=self.render(text) if template else text,
            author=author,
            buttons=list(buttons),
            sources=list(sources),
            input=input,
            meta=meta or {},
        )
        self.produced.append(message)
        return message
