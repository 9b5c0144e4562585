"""Check a workflow document and report every problem with the id of the block it concerns.

Problems found: a document that is not an object; an unknown block type; a block missing a
required field or with a wrong value; duplicate block ids; a start, reentry or link that names
no block (dangling link); a block the start cannot reach (unreachable); a loop that never waits
for the visitor, or that no path leaves (a loop with no exit); invalid regular expressions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from relaydesk.errors import InvalidWorkflow
from relaydesk.workflows.schema import (
    BLOCK_TYPES,
    AIBlock,
    AttributeCondition,
    Block,
    BlockModel,
    BranchBlock,
    CollectBlock,
    MessageBlock,
    PageURLCondition,
    WorkflowDocument,
    links,
    waits_for_visitor,
)

_BLOCK_ADAPTER: TypeAdapter[BlockModel] = TypeAdapter(Block)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workflow; ``block`` is None for document-level problems."""

    block: str | None
    code: str
    message: str

    def to_json(self) -> dict[str, Any]:
        """Return the problem as JSON data."""
        return {"block": self.block, "code": self.code, "message": self.message}

    def __str__(self) -> str:
        where = f"block {self.block!r}" if self.block else "workflow"
        return f"{where}: {self.message}"


def invalid_workflow(problems: list[Problem]) -> InvalidWorkflow:
    """Return the InvalidWorkflow error (400) listing problems, each with its block id."""
    first = str(problems[0]) if problems else "invalid workflow"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return InvalidWorkflow(
        f"invalid workflow: {first}{more}", errors=[p.to_json() for p in problems]
    )


def _pydantic_problems(block_id: str | None, exc: ValidationError, skip: int = 0) -> list[Problem]:
    found = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"][skip:]]
        # A discriminated union puts the tag first in the location; drop it.
        if loc and loc[0] in BLOCK_TYPES:
            loc = loc[1:]
        where = ".".join(loc)
        if block_id is not None and block_id.startswith("blocks[") and where == "id":
            continue  # already reported as a missing id
        code = "missing_field" if err["type"] == "missing" else "invalid_field"
        message = f"{where}: {err['msg']}" if where else str(err["msg"])
        if err["type"] == "missing":
            message = f"missing required field {where!r}"
        found.append(Problem(block_id, code, message))
    return found


def _regex_problem(block_id: str, where: str, pattern: str) -> Problem | None:
    try:
        re.compile(pattern)
    except re.error as exc:
        return Problem(block_id, "invalid_regex", f"{where}: invalid regular expression ({exc})")
    return None


def _block_problems(block: BlockModel) -> list[Problem]:
    found: list[Problem] = []
    if isinstance(block, CollectBlock):
        if block.field == "attribute" and not block.attribute:
            found.append(Problem(block.id, "missing_field", "missing required field 'attribute'"))
        if block.pattern and (p := _regex_problem(block.id, "pattern", block.pattern)):
            found.append(p)
    if isinstance(block, BranchBlock):
        if bool(block.buttons) == bool(block.rules):
            found.append(
                Problem(block.id, "missing_field", "a branch needs either buttons or rules")
            )
        if block.buttons:
            ids = [b.id for b in block.buttons]
            for dup in sorted({i for i in ids if ids.count(i) > 1}):
                found.append(Problem(block.id, "duplicate_button", f"button id {dup!r} repeats"))
        if block.rules:
            if block.otherwise is None:
                found.append(
                    Problem(block.id, "missing_field", "missing required field 'otherwise' (rules)")
                )
            for i, rule in enumerate(block.rules):
                for j, cond in enumerate(rule.when):
                    where = f"rules[{i}].when[{j}]"
                    if isinstance(cond, AttributeCondition) and (
                        (cond.known is None) == (cond.equals is None)
                    ):
                        found.append(
                            Problem(
                                block.id,
                                "invalid_field",
                                f"{where}: an attribute condition needs exactly one of "
                                "'known' or 'equals'",
                            )
                        )
                    if isinstance(cond, PageURLCondition) and cond.pattern.startswith("re:"):
                        if p := _regex_problem(block.id, where, cond.pattern[3:]):
                            found.append(p)
        elif block.otherwise is not None and block.buttons:
            found.append(
                Problem(block.id, "invalid_field", "'otherwise' applies to rules, not buttons")
            )
    return found


def _can_end(block: BlockModel) -> bool:
    """Tell whether the workflow may end at block (some path from it has no next block)."""
    if isinstance(block, MessageBlock | CollectBlock):
        return block.next is None
    if isinstance(block, AIBlock):
        return block.on_resolved is None or block.on_unresolved is None
    if isinstance(block, BranchBlock):
        if block.buttons:
            return any(b.next is None for b in block.buttons)
        return any(r.next is None for r in block.rules or []) or block.otherwise is None
    return True  # handoffs and close end the workflow


def _strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """Return the strongly connected components of graph (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child_i = work.pop()
            if child_i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = graph[node]
            if child_i < len(children):
                work.append((node, child_i + 1))
                child = children[child_i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


def _raw_links(raw: dict[str, Any]) -> list[str]:
    """Return the link targets of a block that did not parse, as far as they can be read."""
    found = [raw.get(k) for k in ("next", "on_resolved", "on_unresolved", "otherwise")]
    for key in ("buttons", "rules"):
        items = raw.get(key)
        if isinstance(items, list):
            found.extend(item.get("next") for item in items if isinstance(item, dict))
    return [t for t in found if isinstance(t, str)]


def _graph_problems(doc: WorkflowDocument, unparsed: dict[str, list[str]]) -> list[Problem]:
    found: list[Problem] = []
    blocks = doc.by_id()
    known = set(blocks) | set(unparsed)
    if doc.start not in known:
        found.append(Problem(None, "dangling_link", f"start names no block: {doc.start!r}"))
    if doc.reentry is not None and doc.reentry not in known:
        found.append(Problem(None, "dangling_link", f"reentry names no block: {doc.reentry!r}"))
    graph: dict[str, list[str]] = {}
    for block in blocks.values():
        graph[block.id] = []
        for where, target in links(block):
            if target not in known:
                found.append(
                    Problem(block.id, "dangling_link", f"{where} names no block: {target!r}")
                )
            elif target in blocks:
                graph[block.id].append(target)
    # Reachability from the start (and the reentry point).
    reached: set[str] = set()
    todo = [b for b in (doc.start, doc.reentry) if b in known]
    while todo:
        node = todo.pop()
        if node in reached:
            continue
        reached.add(node)
        todo.extend(graph[node] if node in graph else unparsed.get(node, []))
    if doc.start in known:
        for block_id in blocks:
            if block_id not in reached and block_id not in unparsed:
                found.append(
                    Problem(block_id, "unreachable", "no path from the start reaches this block")
                )
    # Loops: one that never waits for the visitor spins forever; one nothing leaves never ends.
    reverse: dict[str, list[str]] = {b: [] for b in graph}
    for src, targets in graph.items():
        for dst in targets:
            reverse[dst].append(src)
    ends = [b for b, block in blocks.items() if _can_end(block)]
    can_finish: set[str] = set(unparsed)
    todo = list(ends) + [src for u in unparsed for src in reverse.get(u, [])]
    while todo:
        node = todo.pop()
        if node in can_finish:
            continue
        can_finish.add(node)
        todo.extend(reverse.get(node, []))
    for component in _strongly_connected(graph):
        members = sorted(component)
        cyclic = len(component) > 1 or component[0] in graph[component[0]]
        if not cyclic:
            continue
        path = " → ".join(members)
        if not any(waits_for_visitor(blocks[m]) for m in members):
            for m in members:
                found.append(
                    Problem(
                        m,
                        "loop_without_exit",
                        f"loop {path} never waits for the visitor and would run forever",
                    )
                )
        elif not any(m in can_finish for m in members):
            for m in members:
                found.append(
                    Problem(m, "loop_without_exit", f"loop {path} has no exit: no path ends it")
                )
    return found


def check_workflow(data: Any) -> tuple[WorkflowDocument | None, list[Problem]]:
    """Return the parsed document (None when it cannot be parsed) and every problem found."""
    if not isinstance(data, dict):
        return None, [Problem(None, "invalid_document", "a workflow must be a JSON/YAML object")]
    problems: list[Problem] = []
    raw_blocks = data.get("blocks")
    parsed: list[BlockModel] = []
    unparsed: dict[str, list[str]] = {}
    if not isinstance(raw_blocks, list) or not raw_blocks:
        problems.append(Problem(None, "missing_field", "'blocks' must be a non-empty list"))
        raw_blocks = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_blocks):
        if not isinstance(raw, dict):
            problems.append(Problem(None, "invalid_block", f"blocks[{i}] is not an object"))
            continue
        raw_id = raw.get("id")
        block_id = raw_id if isinstance(raw_id, str) and raw_id else None
        label = block_id or f"blocks[{i}]"
        if block_id is None:
            problems.append(
                Problem(label, "missing_field", "missing required field 'id' (a string)")
            )
        elif block_id in seen:
            problems.append(Problem(block_id, "duplicate_id", "another block has the same id"))
            continue
        else:
            seen.add(block_id)
        kind = raw.get("type")
        if kind not in BLOCK_TYPES:
            shown = "missing" if kind is None else repr(kind)
            problems.append(
                Problem(
                    label,
                    "unknown_block_type",
                    f"unknown block type {shown}; known: {', '.join(BLOCK_TYPES)}",
                )
            )
            if block_id:
                unparsed[block_id] = _raw_links(raw)
            continue
        try:
            block = _BLOCK_ADAPTER.validate_python(raw)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(label, exc))
            if block_id:
                unparsed[block_id] = _raw_links(raw)
            continue
        parsed.append(block)
        problems.extend(_block_problems(block))
    header = {k: v for k, v in data.items() if k != "blocks"}
    placeholder: list[Any] = list(parsed[:1]) or [{"id": "x", "type": "close"}]
    try:
        doc = WorkflowDocument.model_validate({**header, "blocks": placeholder})
    except ValidationError as exc:
        problems.extend(_pydantic_problems(None, exc))
        return None, problems
    if not parsed:
        return None, problems
    doc = doc.model_copy(update={"blocks": parsed})
    problems.extend(_graph_problems(doc, unparsed))
    return (doc if not problems else None), problems


def validate_workflow(data: Any) -> WorkflowDocument:
    """Return the valid workflow in data; raise InvalidWorkflow listing every problem."""
    doc, problems = check_workflow(data)
    if problems or doc is None:
        raise invalid_workflow(problems)
    return doc
