"""Check a workflow document and report every problem with the id of the block it concerns.

Problems found: a document that is not an object; an unknown block type; a block missing a
required field or with a wrong value; duplicate block ids; a start, reentry or link that names
no block (dangling link); a block the start cannot reach (unreachable); a loop that never waits
for the visitor, or that no path leaves (a loop with no exit); invalid regular expressions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import TypeAdapter, ValidationError

from relaydesk.errors import InvalidWorkflow
from relaydesk.workflows.schema import (
    BLOCK_TYPES,
    AIBlock,
    Block,
    BlockModel,
    BranchBlock,
    CollectBlock,
    MessageBlock,
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
    position: int | None = field(default=None, compare=False)
    """The block's index in ``blocks`` (where to look in the file); not part of the JSON."""

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


_CONDITION_TYPES = frozenset({"attribute", "office_hours", "page_url", "language", "channel"})


def _where(loc: tuple[int | str, ...], *, in_block: bool) -> str:
    """Return a field's location as written in the document: ``rules[1].when[0].name``.

    A discriminated union puts the tag (``message``, ``attribute``…) in the location, first
    for a block and after the index for a condition: it is left out.
    """
    out = ""
    after_index = in_block
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            after_index = True
            continue
        tags = BLOCK_TYPES if not out else _CONDITION_TYPES
        if after_index and part in tags:
            after_index = False
            continue
        out += f".{part}" if out else part
        after_index = False
    return out


def _pydantic_problems(block_id: str | None, exc: ValidationError) -> list[Problem]:
    found = []
    for err in exc.errors():
        where = _where(tuple(err["loc"]), in_block=block_id is not None)
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


def _is_set(value: Any) -> bool:
    """Tell whether a raw field counts as given (present, not null, not empty)."""
    return value is not None and value != [] and value != ""


def _block_problems(block_id: str, raw: dict[str, Any]) -> list[Problem]:
    """Return the problems between a block's fields (read from the raw block, parsed or not)."""
    found: list[Problem] = []
    kind = raw.get("type")
    if kind == "collect":
        if raw.get("field") == "attribute" and not _is_set(raw.get("attribute")):
            found.append(Problem(block_id, "missing_field", "missing required field 'attribute'"))
        pattern = raw.get("pattern")
        if isinstance(pattern, str) and (p := _regex_problem(block_id, "pattern", pattern)):
            found.append(p)
    if kind != "branch":
        return found
    buttons, rules = raw.get("buttons"), raw.get("rules")
    if _is_set(buttons) == _is_set(rules):
        found.append(Problem(block_id, "missing_field", "a branch needs either buttons or rules"))
    if isinstance(buttons, list):
        ids: list[str] = [
            b["id"] for b in buttons if isinstance(b, dict) and isinstance(b.get("id"), str)
        ]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            found.append(Problem(block_id, "duplicate_button", f"button id {dup!r} repeats"))
    if _is_set(rules):
        if raw.get("otherwise") is None:
            found.append(
                Problem(block_id, "missing_field", "missing required field 'otherwise' (rules)")
            )
        for i, rule in enumerate(rules if isinstance(rules, list) else []):
            when = rule.get("when") if isinstance(rule, dict) else None
            for j, cond in enumerate(when if isinstance(when, list) else []):
                if isinstance(cond, dict):
                    found.extend(_condition_problems(block_id, f"rules[{i}].when[{j}]", cond))
    elif _is_set(buttons) and raw.get("otherwise") is not None:
        found.append(
            Problem(block_id, "invalid_field", "'otherwise' applies to rules, not buttons")
        )
    return found


def _condition_problems(block_id: str, where: str, cond: dict[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    if cond.get("type") == "attribute" and (
        (cond.get("known") is None) == (cond.get("equals") is None)
    ):
        found.append(
            Problem(
                block_id,
                "invalid_field",
                f"{where}: an attribute condition needs exactly one of 'known' or 'equals'",
            )
        )
    pattern = cond.get("pattern")
    if cond.get("type") == "page_url" and isinstance(pattern, str) and pattern.startswith("re:"):
        if p := _regex_problem(block_id, where, pattern[3:]):
            found.append(p)
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


def _raw_links(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """Return (where, target) for the links of a block that did not parse, as far as readable."""
    found = [(k, raw.get(k)) for k in ("next", "on_resolved", "on_unresolved")]
    for key in ("buttons", "rules"):
        items = raw.get(key)
        if isinstance(items, list):
            found.extend(
                (f"{key}[{i}].next", item.get("next"))
                for i, item in enumerate(items)
                if isinstance(item, dict)
            )
    found.append(("otherwise", raw.get("otherwise")))
    return [(where, t) for where, t in found if isinstance(t, str)]


def _graph_problems(
    blocks: dict[str, BlockModel],
    unparsed: dict[str, list[tuple[str, str]]],
    unknown: set[str],
    start: str | None,
    reentry: str | None,
) -> list[Problem]:
    """Dangling links, unreachable blocks and loops with no exit.

    ``blocks`` parsed; ``unparsed`` are blocks of a known type with bad fields (their links
    read from the raw block); ``unknown`` are blocks of an unknown type: they count as
    existing (no dangling link to them) but nothing else is said of them.
    """
    found: list[Problem] = []
    known = set(blocks) | set(unparsed) | unknown
    if start is not None and start not in known:
        found.append(Problem(None, "dangling_link", f"start names no block: {start!r}"))
    if reentry is not None and reentry not in known:
        found.append(Problem(None, "dangling_link", f"reentry names no block: {reentry!r}"))
    outgoing: dict[str, list[tuple[str, str]]] = {b: list(links(blk)) for b, blk in blocks.items()}
    outgoing.update(unparsed)
    graph: dict[str, list[str]] = {b: [] for b in blocks}
    for block_id, targets in outgoing.items():
        for where, target in targets:
            if target not in known:
                found.append(
                    Problem(block_id, "dangling_link", f"{where} names no block: {target!r}")
                )
            elif block_id in graph and target in blocks:
                graph[block_id].append(target)
    # Reachability from the start (and the reentry point), through unparsed blocks too.
    if start is not None and start in known:
        reached: set[str] = set()
        todo = [b for b in (start, reentry) if b in known]
        while todo:
            node = todo.pop()
            if node in reached:
                continue
            reached.add(node)
            todo.extend(t for _where, t in outgoing.get(node, []) if t in known)
        for block_id in outgoing:
            if block_id not in reached:
                found.append(
                    Problem(block_id, "unreachable", "no path from the start reaches this block")
                )
    # Loops: one that never waits for the visitor spins forever; one nothing leaves never ends.
    # Blocks that did not parse are given the benefit of the doubt (they may end the workflow).
    reverse: dict[str, list[str]] = {b: [] for b in known}
    for src, targets in outgoing.items():
        for _where, dst in targets:
            if dst in reverse:
                reverse[dst].append(src)
    can_finish: set[str] = set()
    todo = [b for b, block in blocks.items() if _can_end(block)] + [*unparsed, *unknown]
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
            skipped = [m for m in members if isinstance(blocks[m], CollectBlock)]
            why = (
                f"never waits for the visitor once {', '.join(skipped)} is known "
                "(skip_if_known), and would then run forever"
                if skipped
                else "never waits for the visitor and would run forever"
            )
            for m in members:
                found.append(Problem(m, "loop_without_exit", f"loop {path} {why}"))
        elif not any(m in can_finish for m in members):
            for m in members:
                found.append(
                    Problem(m, "loop_without_exit", f"loop {path} has no exit: no path ends it")
                )
    return found


def _check_block(
    i: int,
    raw: Any,
    seen: set[str],
    parsed: dict[str, BlockModel],
    unparsed: dict[str, list[tuple[str, str]]],
    unknown: set[str],
) -> list[Problem]:
    """Check blocks[i] on its own; file it under parsed, unparsed or unknown (first id wins)."""
    if not isinstance(raw, dict):
        return [Problem(f"blocks[{i}]", "invalid_block", "a block must be an object (id, type…)")]
    problems: list[Problem] = []
    raw_id = raw.get("id")
    block_id = raw_id if isinstance(raw_id, str) and raw_id else None
    label = block_id or f"blocks[{i}]"
    # A second block with an id already used is reported and checked, but not linked to.
    first = block_id is not None and block_id not in seen
    if block_id is None:
        problems.append(Problem(label, "missing_field", "missing required field 'id' (a string)"))
    elif not first:
        problems.append(Problem(block_id, "duplicate_id", "another block has the same id"))
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
        if block_id is not None and first:
            unknown.add(block_id)
        return problems
    try:
        block = _BLOCK_ADAPTER.validate_python(raw)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(label, exc))
        if block_id is not None and first:
            unparsed[block_id] = _raw_links(raw)
    else:
        if first:
            parsed[block.id] = block
    problems.extend(_block_problems(label, raw))
    return problems


def check_workflow(data: Any) -> tuple[WorkflowDocument | None, list[Problem]]:
    """Return the parsed document (None when it has problems) and every problem found.

    One problem does not hide another: a block with a bad field is still checked for links
    and reachability, and a bad document field (``name``, ``version``…) does not stop the
    checks of the blocks.
    """
    if not isinstance(data, dict):
        return None, [Problem(None, "invalid_document", "a workflow must be a JSON/YAML object")]
    problems: list[Problem] = []
    raw_blocks = data.get("blocks")
    parsed: dict[str, BlockModel] = {}
    unparsed: dict[str, list[tuple[str, str]]] = {}
    unknown: set[str] = set()
    if not isinstance(raw_blocks, list) or not raw_blocks:
        problems.append(Problem(None, "missing_field", "'blocks' must be a non-empty list"))
        raw_blocks = []
    seen: set[str] = set()
    first_at: dict[str, int] = {}
    for i, raw in enumerate(raw_blocks):
        found = _check_block(i, raw, seen, parsed, unparsed, unknown)
        problems.extend(replace(p, position=i) for p in found)
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            first_at.setdefault(raw["id"], i)
    header = {k: v for k, v in data.items() if k != "blocks"}
    try:
        WorkflowDocument.model_validate({**header, "blocks": [{"id": "x", "type": "close"}]})
    except ValidationError as exc:
        problems.extend(_pydantic_problems(None, exc))
    start = data.get("start") if isinstance(data.get("start"), str) else None
    reentry = data.get("reentry") if isinstance(data.get("reentry"), str) else None
    if parsed or unparsed or unknown:
        problems.extend(
            replace(p, position=first_at.get(p.block or ""))
            for p in _graph_problems(parsed, unparsed, unknown, start, reentry)
        )
    if problems:
        return None, problems
    doc = WorkflowDocument.model_validate({**header, "blocks": [dict(raw) for raw in raw_blocks]})
    return doc, problems


def validate_workflow(data: Any) -> WorkflowDocument:
    """Return the valid workflow in data; raise InvalidWorkflow listing every problem."""
    doc, problems = check_workflow(data)
    if problems or doc is None:
        raise invalid_workflow(problems)
    return doc
