"""Read a workflow file's text: JSON, or YAML read the way YAML 1.2 (and editors) read it.

- A ``.json`` file, or a text that is valid JSON, is read as JSON (so a JSON file indented
  with tabs, which YAML refuses, still reads).
- Otherwise it is YAML, with YAML 1.2's plain scalars: only ``true``/``false`` are booleans,
  so ``label: Yes``, ``id: no`` or ``in: [no]`` (Norwegian) stay strings as written; numbers
  are decimal; ``2026-12-25`` stays a string; ``12:30`` is not a base-60 number.
- A key given twice in one mapping (a block with two ``next``) is an error, not "last wins".

A syntax error is raised as ``DocumentSyntaxError`` with its line and column (1-based).
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

__all__ = ["DocumentSyntaxError", "block_lines", "dump_document", "parse_document"]

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


class DocumentSyntaxError(ValueError):
    """The text is not valid YAML/JSON; ``line`` and ``column`` are 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        self.line = line
        self.column = column
        self.problem = message
        where = f"line {line}, column {column}: " if line else ""
        super().__init__(f"{where}{message}")


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars and no duplicate keys."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first given on line {seen[key]})",
                    key_node.start_mark,
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT, _FLOAT, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"
        r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
    ),
    list("-+0123456789."),
)


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    value = loader.construct_scalar(node)  # type: ignore[arg-type]
    return int(str(value))


_Loader.add_constructor(_INT, _construct_int)


def _from_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        context = exc.context_mark
        if exc.problem and exc.context and context is not None:
            where = f"line {context.line + 1}, column {context.column + 1}"
            problem = f"{problem} ({exc.context} at {where})"
        if mark is None:
            raise DocumentSyntaxError(problem) from None
        raise DocumentSyntaxError(problem, mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as exc:
        raise DocumentSyntaxError(str(exc)) from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"duplicate key {key!r}")
        found[key] = value
    return found


def _from_json(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise DocumentSyntaxError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except ValueError as exc:  # a duplicate key
        raise DocumentSyntaxError(str(exc)) from None


def parse_document(text: str, *, filename: str | None = None) -> Any:
    """Return the plain data in a workflow file's text; raise DocumentSyntaxError if unreadable.

    ``filename`` chooses the syntax: ``*.json`` is JSON; anything else is YAML (a text that
    is valid JSON is taken as JSON whatever its name, since JSON was meant).
    """
    if filename is not None and filename.lower().endswith(".json"):
        return _from_json(text)
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text, object_pairs_hook=_no_duplicates)
        except ValueError:
            pass  # YAML flow style ({start: a, …}) or broken: YAML says where
    return _from_yaml(text)


def block_lines(text: str) -> dict[str, int]:
    """Return the line (1-based) where each block starts, by position (``blocks[2]``) and id.

    Best effort, for messages: empty when the text cannot be read this way.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        return {}
    if not isinstance(root, MappingNode):
        return {}
    lines: dict[str, int] = {}
    for key, value in root.value:
        if not (isinstance(key, ScalarNode) and key.value == "blocks"):
            continue
        if not isinstance(value, SequenceNode):
            return {}
        for i, item in enumerate(value.value):
            line = item.start_mark.line + 1
            lines[f"blocks[{i}]"] = line
            if isinstance(item, MappingNode):
                for k, v in item.value:
                    if isinstance(k, ScalarNode) and k.value == "id" and isinstance(v, ScalarNode):
                        lines.setdefault(v.value, line)
    return lines


class _Dumper(yaml.SafeDumper):
    """SafeDumper that also quotes what YAML 1.2 would read as a number (``09``, ``1e5``)."""


for _first, _resolvers in _Loader.yaml_implicit_resolvers.items():
    for _tag, _regexp in _resolvers:
        if _tag in (_INT, _FLOAT):
            _Dumper.add_implicit_resolver(_tag, _regexp, [_first])


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # PyYAML writes a NEL (U+0085) into single quotes, where it reads back as a space.
    style = '"' if "\x85" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_document(data: Any) -> str:
    """Return data as YAML that ``parse_document`` (and YAML 1.1 readers) read back unchanged."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
