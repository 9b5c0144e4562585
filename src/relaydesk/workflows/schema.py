"""The workflow document: a start block and a list of blocks, each a discriminated ``type``.

Blocks link to each other by id (``next``, ``on_resolved``, ``on_unresolved``, a button's or a
rule's ``next``, ``otherwise``). A block without an outgoing link ends the workflow. The JSON
Schema of the document is ``WorkflowDocument.model_json_schema()``, exported to
``docs/workflow.schema.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from relaydesk.workflows.parsing import parse_document

BlockId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$",
        description="A block's id: letters, digits, '_', '-', '.'.",
    ),
]
ButtonId = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
]
Text = Annotated[str, Field(min_length=1, max_length=4000)]


class _Strict(BaseModel):
    # strict: no coercion ("yes" is not a boolean, 1 is not a string), as the JSON Schema says
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Block(_Strict):
    id: BlockId = Field(description="Unique id of this block inside the workflow.")


# ---- message ---------------------------------------------------------------------------------


class MessageBlock(_Block):
    """Say something, then go on. ``{next_open}`` and ``{contact.name}`` are filled in."""

    type: Literal["message"]
    text: Text
    next: BlockId | None = Field(default=None, description="The block that follows.")


# ---- collect ---------------------------------------------------------------------------------

CollectField = Literal["name", "email", "phone", "attribute"]


class CollectBlock(_Block):
    """Ask for a name, email, phone number or custom attribute; skipped when already known."""

    model_config = ConfigDict(
        json_schema_extra={
            # field: attribute needs the attribute's name
            "if": {"properties": {"field": {"const": "attribute"}}, "required": ["field"]},
            "then": {"required": ["attribute"], "properties": {"attribute": {"type": "string"}}},
        }
    )

    type: Literal["collect"]
    field: CollectField = Field(description="What to collect.")
    attribute: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="The custom attribute's name (field: attribute).",
    )
    prompt: Text = Field(description="The question shown to the visitor.")
    label: str | None = Field(
        default=None, max_length=120, description="The input's label in the widget."
    )
    pattern: str | None = Field(
        default=None, max_length=500, description="A regular expression the answer must match."
    )
    invalid_text: str | None = Field(
        default=None, max_length=1000, description="Said when the answer is not valid."
    )
    skip_if_known: bool = Field(default=True, description="Skip the question when known.")
    next: BlockId | None = None


# ---- ai --------------------------------------------------------------------------------------


class AIBlock(_Block):
    """Let the AI handle the conversation: answer, follow-ups, and 'Did that answer it?'."""

    type: Literal["ai"]
    prompt: str | None = Field(
        default=None,
        max_length=1000,
        description="Said when the block starts (e.g. 'Ask me anything'); none by default.",
    )
    confirm: bool = Field(default=True, description="Ask whether the answer resolved it.")
    confirm_text: str = Field(
        default="Did that answer your question?", min_length=1, max_length=500
    )
    yes_label: str = Field(default="Yes, thanks", min_length=1, max_length=60)
    no_label: str = Field(default="No", min_length=1, max_length=60)
    resolved_text: str = Field(
        default="Glad I could help! I'll close this conversation now.", max_length=1000
    )
    abstain_text: str = Field(
        default="I'm sorry, I don't know the answer to that one.", min_length=1, max_length=1000
    )
    retry_text: str = Field(
        default="Sorry that didn't help. Could you tell me a bit more, or ask in another way?",
        min_length=1,
        max_length=1000,
        description="Said after 'No' when there is no on_unresolved (the AI keeps going).",
    )
    on_resolved: BlockId | None = Field(
        default=None,
        description="Where 'Yes' leads; when empty the conversation is resolved directly.",
    )
    on_unresolved: BlockId | None = Field(
        default=None,
        description="Where 'No', a handoff request and an abstention lead (the escalation path).",
    )


# ---- branch ----------------------------------------------------------------------------------


class ButtonChoice(_Strict):
    id: ButtonId
    label: Annotated[str, Field(min_length=1, max_length=60)]
    next: BlockId | None = None


class AttributeCondition(_Strict):
    """True when the contact attribute is known (``known``) or equals a value (``equals``)."""

    model_config = ConfigDict(
        json_schema_extra={
            # exactly one of known / equals
            "oneOf": [
                {
                    "required": ["known"],
                    "properties": {"known": {"type": "boolean"}, "equals": {"type": "null"}},
                },
                {
                    "required": ["equals"],
                    "properties": {"equals": {"not": {"type": "null"}}, "known": {"type": "null"}},
                },
            ]
        }
    )

    type: Literal["attribute"]
    name: Annotated[str, Field(min_length=1, max_length=64)] = Field(
        description="name, email, phone, verified, or a custom attribute."
    )
    known: bool | None = None
    equals: str | int | float | bool | None = None


class OfficeHoursCondition(_Strict):
    """True when the team's office hours are open (``open: true``) or closed."""

    type: Literal["office_hours"]
    open: bool = True


class PageURLCondition(_Strict):
    """True when the conversation's page URL matches a glob, or a regex written ``re:…``."""

    type: Literal["page_url"]
    pattern: Annotated[str, Field(min_length=1, max_length=1000)]


class LanguageCondition(_Strict):
    """True when the conversation's language is one of ``in``."""

    type: Literal["language"]
    in_: list[Annotated[str, Field(min_length=2, max_length=8)]] = Field(alias="in", min_length=1)


class ChannelCondition(_Strict):
    """True when the conversation's channel is one of ``in`` (messenger, freshchat…)."""

    type: Literal["channel"]
    in_: list[Annotated[str, Field(min_length=1, max_length=32)]] = Field(alias="in", min_length=1)


Condition = Annotated[
    AttributeCondition
    | OfficeHoursCondition
    | PageURLCondition
    | LanguageCondition
    | ChannelCondition,
    Field(discriminator="type"),
]


class Rule(_Strict):
    """If every condition in ``when`` holds, go to ``next``."""

    when: list[Condition] = Field(min_length=1)
    next: BlockId | None = None


class BranchBlock(_Block):
    """Choose the next block: by the visitor's button, or by conditions (first rule that holds)."""

    model_config = ConfigDict(
        json_schema_extra={
            # buttons, or rules with otherwise: one of the two
            "oneOf": [
                {
                    "required": ["buttons"],
                    "properties": {
                        "buttons": {"type": "array"},
                        "rules": {"type": "null"},
                        "otherwise": {"type": "null"},
                    },
                },
                {
                    "required": ["rules", "otherwise"],
                    "properties": {
                        "rules": {"type": "array"},
                        "otherwise": {"type": "string"},
                        "buttons": {"type": "null"},
                    },
                },
            ]
        }
    )

    type: Literal["branch"]
    text: str | None = Field(default=None, max_length=4000, description="Shown with the buttons.")
    buttons: list[ButtonChoice] | None = Field(default=None, min_length=1, max_length=10)
    rules: list[Rule] | None = Field(default=None, min_length=1, max_length=50)
    otherwise: BlockId | None = Field(
        default=None, description="Where to go when no rule holds (rules only)."
    )


# ---- handoffs and close ----------------------------------------------------------------------


class HandoffFreshchatBlock(_Block):
    """Hand the conversation to a live agent in Freshchat; the workflow ends here."""

    type: Literal["handoff_freshchat"]
    text: str = Field(
        default="I'm connecting you with a member of our team. They'll reply here shortly.",
        min_length=1,
        max_length=1000,
    )


class HandoffFreshdeskTicketBlock(_Block):
    """Create a Freshdesk ticket (collecting the email first when unknown); ends the workflow."""

    type: Literal["handoff_freshdesk_ticket"]
    verify_email: bool = Field(
        default=False,
        description="Confirm an unverified email with a one-time code before the ticket.",
    )
    email_prompt: str = Field(
        default="What email address should we reply to?", min_length=1, max_length=1000
    )
    invalid_email_text: str = Field(
        default="That doesn't look like an email address. Please try again.",
        min_length=1,
        max_length=1000,
    )
    text: str = Field(
        default="Thanks! I'm creating a ticket for our team; we'll reply by email.",
        min_length=1,
        max_length=1000,
    )


class CloseBlock(_Block):
    """Resolve the conversation, optionally saying goodbye."""

    type: Literal["close"]
    text: str | None = Field(default=None, max_length=1000)


Block = Annotated[
    MessageBlock
    | CollectBlock
    | AIBlock
    | BranchBlock
    | HandoffFreshchatBlock
    | HandoffFreshdeskTicketBlock
    | CloseBlock,
    Field(discriminator="type"),
]
BLOCK_TYPES: tuple[str, ...] = (
    "message",
    "collect",
    "ai",
    "branch",
    "handoff_freshchat",
    "handoff_freshdesk_ticket",
    "close",
)
BlockModel = (
    MessageBlock
    | CollectBlock
    | AIBlock
    | BranchBlock
    | HandoffFreshchatBlock
    | HandoffFreshdeskTicketBlock
    | CloseBlock
)


class WorkflowDocument(_Strict):
    """A workflow: where it starts and its blocks."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"$id": "https://relaydesk.dev/schemas/workflow.schema.json"},
    )

    version: Literal[1] = 1
    name: Annotated[str, Field(min_length=1, max_length=128)] = "workflow"
    start: BlockId = Field(description="The id of the first block.")
    reentry: BlockId | None = Field(
        default=None,
        description=(
            "Where a visitor's message goes once the workflow has ended while the conversation "
            "is still open; default: the first ai block."
        ),
    )
    blocks: list[Block] = Field(min_length=1)

    def block(self, block_id: str) -> BlockModel:
        """Return the block with block_id; raise KeyError when there is none."""
        for block in self.blocks:
            if block.id == block_id:
                return block
        raise KeyError(block_id)

    def by_id(self) -> dict[str, BlockModel]:
        """Return the blocks keyed by id (the first wins on duplicates)."""
        found: dict[str, BlockModel] = {}
        for block in self.blocks:
            found.setdefault(block.id, block)
        return found

    def to_json(self) -> dict[str, Any]:
        """Return the document as plain JSON data."""
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return data


def links(block: BlockModel) -> Iterator[tuple[str, str]]:
    """Yield (where, target id) for every outgoing link of block."""
    if isinstance(block, MessageBlock | CollectBlock):
        if block.next:
            yield "next", block.next
    elif isinstance(block, AIBlock):
        if block.on_resolved:
            yield "on_resolved", block.on_resolved
        if block.on_unresolved:
            yield "on_unresolved", block.on_unresolved
    elif isinstance(block, BranchBlock):
        for i, button in enumerate(block.buttons or []):
            if button.next:
                yield f"buttons[{i}].next", button.next
        for i, rule in enumerate(block.rules or []):
            if rule.next:
                yield f"rules[{i}].next", rule.next
        if block.otherwise:
            yield "otherwise", block.otherwise


def waits_for_visitor(block: BlockModel) -> bool:
    """Tell whether block always stops to wait for the visitor (a loop through it is no spin).

    A ``collect`` block skipped when the value is known (``skip_if_known``) may not wait.
    """
    if isinstance(block, CollectBlock):
        return not block.skip_if_known
    if isinstance(block, AIBlock | HandoffFreshdeskTicketBlock):
        return True
    return isinstance(block, BranchBlock) and bool(block.buttons)


def workflow_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of a workflow document."""
    schema: dict[str, Any] = TypeAdapter(WorkflowDocument).json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "relaydesk workflow"
    return schema


def write_json_schema(path: Path) -> None:
    """Write the workflow JSON Schema to path."""
    path.write_text(json.dumps(workflow_json_schema(), indent=2, sort_keys=True) + "\n")


def parse_text(text: str, *, filename: str | None = None) -> Any:
    """Parse a workflow file's text (YAML or JSON) into plain data.

    Raise ``relaydesk.workflows.parsing.DocumentSyntaxError`` (with the line) when unreadable.
    """
    return parse_document(text, filename=filename)


PLACEHOLDER = re.compile(r"\{(next_open|contact\.name|contact\.email)\}")
