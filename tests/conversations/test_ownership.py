"""One module owns every change of conversation state: nothing outside relaydesk.conversations
writes a conversation's state fields, creates conversations or messages, or updates their
tables in bulk. (Everything else goes through ``relaydesk.conversations.actions``, whose
``do_*`` functions record the outbox job in the caller's transaction.)
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "relaydesk"
OWNER = SRC / "conversations"
SKIP = (OWNER, SRC / "db")  # the owner, and the models/migrations themselves

STATE_FIELDS = frozenset(
    {
        "status",
        "assignee",
        "agent_id",
        "group_id",
        "handed_off_to",
        "resolved_by",
        "resolved_at",
        "workflow_id",
        "workflow_state",
        "freshchat_conversation_id",
        "freshchat_user_id",
        "freshdesk_ticket_id",
        "auto_resolve_at",
        "last_activity_at",
        "message_count",
    }
)
MODELS = frozenset({"Conversation", "Message"})


def _names_a_conversation(node: ast.expr) -> bool:
    """Tell whether an expression reads as a conversation (conv, conversation, self.conv…)."""
    text = ast.unparse(node).lower()
    return "conv" in text


def violations(source: str, filename: str = "<src>") -> list[str]:
    """Return the places in source that change conversation state directly."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                if (
                    isinstance(part, ast.Attribute)
                    and part.attr in STATE_FIELDS
                    and isinstance(part.ctx, ast.Store)
                    and _names_a_conversation(part.value)
                ):
                    found.append(f"{filename}:{node.lineno}: assigns {ast.unparse(part)}")
        if isinstance(node, ast.Call):
            func = ast.unparse(node.func)
            args = [ast.unparse(a) for a in node.args]
            if func in MODELS:
                found.append(f"{filename}:{node.lineno}: creates a {func}")
            if func.split(".")[-1] in {"update", "insert", "delete"} and set(args) & MODELS:
                found.append(f"{filename}:{node.lineno}: {func}({', '.join(args)})")
            if func == "setattr" and args and "conv" in args[0].lower():
                found.append(f"{filename}:{node.lineno}: setattr on {args[0]}")
    return found


def test_the_scanner_finds_direct_writes() -> None:
    source = (
        "conv.status = 'resolved'\n"
        "conversation.assignee: str = 'human'\n"
        "self.conversation.message_count += 1\n"
        "job.status = 'done'\n"
        "session.execute(update(Conversation).values(status='x'))\n"
        "Message(text='hi')\n"
        "setattr(conv, 'status', 'open')\n"
    )
    assert sorted(v.split(": ", 1)[1] for v in violations(source)) == [
        "assigns conv.status",
        "assigns conversation.assignee",
        "assigns self.conversation.message_count",
        "creates a Message",
        "setattr on conv",
        "update(Conversation)",
    ]


def test_nothing_outside_conversations_changes_conversation_state() -> None:
    found: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        if any(path.is_relative_to(skip) for skip in SKIP):
            continue
        found.extend(violations(path.read_text(encoding="utf-8"), str(path.relative_to(SRC))))
    assert found == [], "change conversation state through relaydesk.conversations.actions"
