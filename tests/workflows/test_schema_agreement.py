"""The JSON Schema in docs/ and the validator agree on what a workflow document may say.

The schema checks each block's fields (what an editor can check while typing); the validator
checks that too, and also what JSON Schema cannot say: links, reachability, loops, unique ids
and regular expressions. So, for any document: the schema accepts it exactly when the
validator finds no field problem, and every problem the schema cannot see has a graph code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relaydesk.workflows.default import DEFAULT_PATH
from relaydesk.workflows.schema import parse_text
from relaydesk.workflows.validation import check_workflow

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCHEMA = json.loads((DOCS / "workflow.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

FIELD_CODES = {
    "invalid_document",
    "invalid_block",
    "missing_field",
    "invalid_field",
    "unknown_block_type",
}
GRAPH_CODES = {
    "dangling_link",
    "unreachable",
    "loop_without_exit",
    "duplicate_id",
    "duplicate_button",
    "invalid_regex",
}


def _verdicts(data: Any) -> tuple[bool, set[str]]:
    """Return (the schema accepts data, the validator's problem codes)."""
    _doc, problems = check_workflow(data)
    return VALIDATOR.is_valid(data), {p.code for p in problems}


def _agree(data: Any) -> None:
    schema_ok, codes = _verdicts(data)
    assert codes <= FIELD_CODES | GRAPH_CODES, codes
    field_ok = not (codes & FIELD_CODES)
    errors = [e.message for e in VALIDATOR.iter_errors(data)][:3]
    assert schema_ok == field_ok, f"schema {schema_ok} ({errors}), validator {sorted(codes)}"


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def _doc_examples() -> list[Any]:
    """The YAML examples of whole workflows in docs/workflows.md."""
    text = (DOCS / "workflows.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    return [parse_text(b) for b in blocks if "blocks:" in b]


def _ok(*blocks: dict[str, Any], start: str = "a") -> dict[str, Any]:
    return {"version": 1, "name": "t", "start": start, "blocks": list(blocks)}


VALID: list[Any] = [
    parse_text(DEFAULT_PATH.read_text()),
    _ok({"id": "a", "type": "close"}),
    _ok(
        {"id": "a", "type": "collect", "field": "attribute", "attribute": "plan", "prompt": "?"},
    ),
    _ok(
        {
            "id": "a",
            "type": "branch",
            "rules": [
                {"when": [{"type": "attribute", "name": "plan", "equals": "pro"}], "next": "b"},
                {"when": [{"type": "attribute", "name": "email", "known": False}], "next": "b"},
                {"when": [{"type": "language", "in": ["no", "de-AT"]}], "next": None},
            ],
            "otherwise": "b",
        },
        {"id": "b", "type": "handoff_freshdesk_ticket", "verify_email": True},
    ),
    _ok(
        {
            "id": "a",
            "type": "branch",
            "buttons": [{"id": "yes", "label": "Yes", "next": "b"}, {"id": "no", "label": "No"}],
            "otherwise": None,
        },
        {"id": "b", "type": "ai", "confirm": False, "on_unresolved": "a"},
    ),
]

FIELD_PROBLEMS: dict[str, Any] = {
    "branch with buttons and rules": _ok(
        {
            "id": "a",
            "type": "branch",
            "buttons": [{"id": "x", "label": "X"}],
            "rules": [{"when": [{"type": "office_hours"}]}],
            "otherwise": None,
        }
    ),
    "branch with neither": _ok({"id": "a", "type": "branch", "text": "?"}),
    "branch with empty buttons": _ok({"id": "a", "type": "branch", "buttons": []}),
    "rules without otherwise": _ok(
        {"id": "a", "type": "branch", "rules": [{"when": [{"type": "office_hours"}]}]}
    ),
    "otherwise with buttons": _ok(
        {"id": "a", "type": "branch", "buttons": [{"id": "x", "label": "X"}], "otherwise": "a"}
    ),
    "attribute condition with both": _ok(
        {
            "id": "a",
            "type": "branch",
            "rules": [{"when": [{"type": "attribute", "name": "p", "known": True, "equals": "x"}]}],
            "otherwise": None,
        }
    ),
    "attribute condition with neither": _ok(
        {
            "id": "a",
            "type": "branch",
            "rules": [{"when": [{"type": "attribute", "name": "p"}]}],
            "otherwise": None,
        }
    ),
    "collect attribute without its name": _ok(
        {"id": "a", "type": "collect", "field": "attribute", "prompt": "?"}
    ),
    "a string for a boolean": _ok({"id": "a", "type": "ai", "confirm": "yes"}),
    "a number for a string": _ok({"id": "a", "type": "message", "text": 5}),
    "a boolean for a button label": _ok(
        {"id": "a", "type": "branch", "buttons": [{"id": "y", "label": True}]}
    ),
    "an empty Yes label": _ok({"id": "a", "type": "ai", "yes_label": ""}),
    "an unknown field": _ok({"id": "a", "type": "close", "colour": "red"}),
    "an unknown block type": _ok({"id": "a", "type": "teleport"}),
    "an unknown condition": _ok(
        {
            "id": "a",
            "type": "branch",
            "rules": [{"when": [{"type": "moon"}]}],
            "otherwise": None,
        }
    ),
    "a bad block id": _ok({"id": "no spaces", "type": "close"}, start="no spaces"),
    "version 2": {**_ok({"id": "a", "type": "close"}), "version": 2},
    "no blocks": {"start": "a", "blocks": []},
    "no start": {"blocks": [{"id": "a", "type": "close"}]},
    "not an object": [1, 2],
}

GRAPH_PROBLEMS: dict[str, Any] = {
    "dangling link": _ok({"id": "a", "type": "message", "text": "x", "next": "zz"}),
    "unreachable": _ok({"id": "a", "type": "close"}, {"id": "b", "type": "close"}),
    "spinning loop": _ok(
        {"id": "a", "type": "message", "text": "x", "next": "b"},
        {"id": "b", "type": "message", "text": "y", "next": "a"},
    ),
    "duplicate id": _ok({"id": "a", "type": "close"}, {"id": "a", "type": "close"}),
    "duplicate button": _ok(
        {
            "id": "a",
            "type": "branch",
            "buttons": [{"id": "x", "label": "1"}, {"id": "x", "label": "2"}],
        }
    ),
    "bad regex": _ok(
        {"id": "a", "type": "collect", "field": "name", "prompt": "?", "pattern": "("}
    ),
}


@pytest.mark.parametrize("data", VALID + _doc_examples())
def test_valid_documents_pass_both(data: Any) -> None:
    schema_ok, codes = _verdicts(data)
    assert schema_ok and not codes, codes


def test_docs_have_whole_workflow_examples() -> None:
    assert _doc_examples()


@pytest.mark.parametrize("name", sorted(FIELD_PROBLEMS))
def test_field_problems_fail_both(name: str) -> None:
    schema_ok, codes = _verdicts(FIELD_PROBLEMS[name])
    assert not schema_ok, name
    assert codes & FIELD_CODES, codes


@pytest.mark.parametrize("name", sorted(GRAPH_PROBLEMS))
def test_graph_problems_pass_the_schema_and_fail_the_validator(name: str) -> None:
    schema_ok, codes = _verdicts(GRAPH_PROBLEMS[name])
    assert schema_ok, name
    assert codes and codes <= GRAPH_CODES, codes


# ---- any document ----------------------------------------------------------------------------

_ids = st.sampled_from(["a", "b", "c", "bad id", ""])
_link = st.one_of(st.none(), _ids)
_text = st.sampled_from(["", "Hi", "x" * 61])
_scalar = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), _text)
_condition = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("attribute"), "name": st.sampled_from(["plan", "email", ""])},
        optional={"known": st.one_of(st.none(), st.booleans()), "equals": _scalar},
    ),
    st.fixed_dictionaries({"type": st.just("office_hours")}, optional={"open": _scalar}),
    st.fixed_dictionaries(
        {"type": st.just("page_url"), "pattern": st.sampled_from(["*/x*", "re:^a", ""])}
    ),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["language", "channel"])},
        optional={"in": st.lists(st.sampled_from(["de", "x", "messenger"]), max_size=2)},
    ),
    st.fixed_dictionaries({"type": st.just("moon")}),
)
_button = st.fixed_dictionaries(
    {"id": st.sampled_from(["y", "n"]), "label": _scalar}, optional={"next": _link}
)
_rule = st.fixed_dictionaries({"when": st.lists(_condition, max_size=2)}, optional={"next": _link})
_block = st.fixed_dictionaries(
    {
        "id": _ids,
        "type": st.sampled_from(
            [
                "message",
                "collect",
                "ai",
                "branch",
                "handoff_freshchat",
                "handoff_freshdesk_ticket",
                "close",
                "warp",
            ]
        ),
    },
    optional={
        "text": _scalar,
        "next": _link,
        "field": st.sampled_from(["name", "email", "phone", "attribute", "shoe"]),
        "attribute": st.sampled_from(["plan", "9x", ""]),
        "prompt": _scalar,
        "pattern": st.sampled_from(["(free|pro)", "("]),
        "skip_if_known": _scalar,
        "confirm": _scalar,
        "yes_label": _scalar,
        "on_resolved": _link,
        "on_unresolved": _link,
        "buttons": st.one_of(st.none(), st.lists(_button, max_size=2)),
        "rules": st.one_of(st.none(), st.lists(_rule, max_size=2)),
        "otherwise": _link,
        "verify_email": _scalar,
        "colour": st.just("red"),
    },
)
_document = st.fixed_dictionaries(
    {"start": _ids, "blocks": st.lists(_block, max_size=4)},
    optional={
        "version": st.sampled_from([1, 2, "1", True]),
        "name": _scalar,
        "reentry": _link,
        "colour": st.just("red"),
    },
)


@given(_document)
@settings(max_examples=400, deadline=None)
def test_schema_and_validator_agree_on_any_document(data: dict[str, Any]) -> None:
    _agree(data)
