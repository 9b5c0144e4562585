"""Workflow validation reports every problem with the id of its block."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relaydesk.errors import InvalidWorkflow
from relaydesk.workflows.default import default_workflow
from relaydesk.workflows.schema import BLOCK_TYPES, workflow_json_schema
from relaydesk.workflows.validation import check_workflow, validate_workflow

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _codes(data: Any) -> set[tuple[str | None, str]]:
    _doc, problems = check_workflow(data)
    return {(p.block, p.code) for p in problems}


def _doc(*blocks: dict[str, Any], start: str = "a") -> dict[str, Any]:
    return {"start": start, "blocks": list(blocks)}


def test_default_workflow_is_valid() -> None:
    doc = default_workflow()
    assert doc.start == "welcome"
    assert {b.type for b in doc.blocks} >= {"message", "ai", "branch", "handoff_freshchat"}


def test_unknown_block_type_names_the_block() -> None:
    data = _doc(
        {"id": "a", "type": "message", "text": "hi", "next": "b"},
        {"id": "b", "type": "teleport"},
    )
    assert _codes(data) == {("b", "unknown_block_type")}


def test_missing_required_field_names_the_block() -> None:
    data = _doc(
        {"id": "a", "type": "message", "next": "b"},
        {"id": "b", "type": "collect", "field": "attribute", "prompt": "Plan?"},
    )
    assert _codes(data) == {("a", "missing_field"), ("b", "missing_field")}
    _, problems = check_workflow(data)
    assert any("'text'" in p.message for p in problems if p.block == "a")
    assert any("'attribute'" in p.message for p in problems if p.block == "b")


def test_dangling_links_and_start() -> None:
    data = _doc(
        {"id": "a", "type": "ai", "on_unresolved": "nowhere"},
        start="a",
    )
    assert _codes(data) == {("a", "dangling_link")}
    assert _codes(_doc({"id": "a", "type": "close"}, start="b")) == {(None, "dangling_link")}


def test_unreachable_block_is_reported() -> None:
    data = _doc(
        {"id": "a", "type": "message", "text": "hi", "next": "c"},
        {"id": "b", "type": "message", "text": "orphan", "next": "c"},
        {"id": "c", "type": "close"},
    )
    assert _codes(data) == {("b", "unreachable")}


def test_loop_that_never_waits_is_reported_for_each_block() -> None:
    data = _doc(
        {"id": "a", "type": "message", "text": "one", "next": "b"},
        {"id": "b", "type": "message", "text": "two", "next": "a"},
    )
    assert _codes(data) == {("a", "loop_without_exit"), ("b", "loop_without_exit")}


def test_loop_with_no_exit_is_reported() -> None:
    data = _doc(
        {"id": "a", "type": "ai", "on_resolved": "b", "on_unresolved": "b"},
        {
            "id": "b",
            "type": "branch",
            "buttons": [{"id": "again", "label": "Again", "next": "a"}],
        },
    )
    assert _codes(data) == {("a", "loop_without_exit"), ("b", "loop_without_exit")}


def test_loop_with_an_exit_is_fine() -> None:
    data = _doc(
        {"id": "a", "type": "ai", "on_unresolved": "b"},
        {
            "id": "b",
            "type": "branch",
            "buttons": [
                {"id": "again", "label": "Ask again", "next": "a"},
                {"id": "human", "label": "Human", "next": "c"},
            ],
        },
        {"id": "c", "type": "handoff_freshchat"},
    )
    assert _codes(data) == set()


def test_duplicate_ids_buttons_and_bad_regexes() -> None:
    data = _doc(
        {
            "id": "a",
            "type": "collect",
            "field": "phone",
            "prompt": "Phone?",
            "pattern": "(",
            "next": "b",
        },
        {"id": "a", "type": "close"},
        {
            "id": "b",
            "type": "branch",
            "buttons": [{"id": "x", "label": "X"}, {"id": "x", "label": "Y"}],
        },
    )
    assert _codes(data) == {
        ("a", "duplicate_id"),
        ("a", "invalid_regex"),
        ("b", "duplicate_button"),
    }


def test_branch_needs_buttons_or_rules_and_rules_need_otherwise() -> None:
    data = _doc(
        {"id": "a", "type": "branch", "text": "?", "otherwise": "c"},
        {"id": "c", "type": "close"},
    )
    assert ("a", "missing_field") in _codes(data)
    data = _doc(
        {
            "id": "a",
            "type": "branch",
            "rules": [{"when": [{"type": "attribute", "name": "plan"}], "next": "c"}],
        },
        {"id": "c", "type": "close"},
    )
    _, problems = check_workflow(data)
    messages = " ".join(p.message for p in problems)
    assert "otherwise" in messages and "exactly one of 'known' or 'equals'" in messages
    assert all(p.block == "a" for p in problems)


def test_bad_condition_type_is_reported_with_block() -> None:
    data = _doc(
        {
            "id": "a",
            "type": "branch",
            "rules": [{"when": [{"type": "moon_phase"}], "next": "c"}],
            "otherwise": "c",
        },
        {"id": "c", "type": "close"},
    )
    assert _codes(data) == {("a", "invalid_field")}


@pytest.mark.parametrize(
    "data", [None, [], "text", 3, {"start": "a"}, {"start": "a", "blocks": []}]
)
def test_not_a_workflow(data: Any) -> None:
    doc, problems = check_workflow(data)
    assert doc is None and problems


def test_validate_raises_with_every_problem_listed() -> None:
    data = _doc(
        {"id": "a", "type": "message", "text": "hi", "next": "zz"},
        {"id": "b", "type": "nope"},
    )
    with pytest.raises(InvalidWorkflow) as info:
        validate_workflow(data)
    assert info.value.status == 400
    blocks = {e["block"] for e in info.value.errors}
    assert blocks == {"a", "b"}


def test_docs_json_schema_is_current() -> None:
    on_disk = json.loads((DOCS / "workflow.schema.json").read_text())
    assert on_disk == workflow_json_schema(), "run: make docs (or write_json_schema)"


def test_json_schema_names_every_block_type() -> None:
    text = json.dumps(workflow_json_schema())
    for kind in [
        "message",
        "collect",
        "ai",
        "branch",
        "handoff_freshchat",
        "handoff_freshdesk_ticket",
        "close",
    ]:
        assert f'"{kind}"' in text


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
_block = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "c"]), "type": st.sampled_from([*BLOCK_TYPES, "x"])},
    optional={
        "next": st.sampled_from(["a", "b", "c", "z"]),
        "text": st.text(max_size=5),
        "on_unresolved": st.sampled_from(["a", "b", "c"]),
        "buttons": st.lists(
            st.fixed_dictionaries(
                {
                    "id": st.sampled_from(["y", "n"]),
                    "label": st.just("L"),
                    "next": st.sampled_from(["a", "b"]),
                }
            ),
            max_size=3,
        ),
        "rules": _json,
        "field": st.sampled_from(["email", "attribute", "shoe"]),
        "prompt": st.just("?"),
    },
)


@given(
    st.one_of(
        _json,
        st.fixed_dictionaries(
            {"start": st.sampled_from(["a", "b"]), "blocks": st.lists(_block, max_size=5)}
        ),
    )
)
@settings(max_examples=300, deadline=None)
def test_check_never_crashes_and_valid_means_no_problems(data: Any) -> None:
    doc, problems = check_workflow(data)
    assert (doc is None) == bool(problems)
    for problem in problems:
        assert problem.code and problem.message


MANY_PROBLEMS = """
version: 2
name: ""
start: welcome
blocks:
  - {id: welcome, type: message, next: ask}
  - {id: ask, type: collect, field: attribute, prompt: "Plan?", pattern: "(", next: route}
  - id: route
    type: branch
    rules:
      - when: [{type: attribute, name: plan}]
        next: pro
      - when: [{type: moon}]
        next: gone
  - {id: pro, type: teleport, next: nowhere}
  - {id: spin1, type: message, text: a, next: spin2}
  - {id: spin2, type: message, text: b, next: spin1}
  - {id: ask, type: close, text: 5}
  - {id: helper, type: ai, confirm: "yes", on_unresolved: missing}
"""


def test_a_document_with_many_problems_reports_every_one_with_its_block() -> None:
    from relaydesk.workflows.schema import parse_text

    _doc, problems = check_workflow(parse_text(MANY_PROBLEMS))
    found = [(p.block, p.code, p.message.split(":")[0]) for p in problems]
    assert sorted(found, key=str) == sorted(
        [
            ("welcome", "missing_field", "missing required field 'text'"),
            ("ask", "missing_field", "missing required field 'attribute'"),
            ("ask", "invalid_regex", "pattern"),
            ("route", "invalid_field", "rules[1].when[0]"),
            ("route", "missing_field", "missing required field 'otherwise' (rules)"),
            ("route", "invalid_field", "rules[0].when[0]"),
            ("pro", "unknown_block_type", "unknown block type 'teleport'; known"),
            ("ask", "duplicate_id", "another block has the same id"),
            ("ask", "invalid_field", "text"),
            ("helper", "invalid_field", "confirm"),
            (None, "invalid_field", "version"),
            (None, "invalid_field", "name"),
            ("route", "dangling_link", "rules[1].next names no block"),
            ("helper", "dangling_link", "on_unresolved names no block"),
            ("spin1", "unreachable", "no path from the start reaches this block"),
            ("spin2", "unreachable", "no path from the start reaches this block"),
            ("helper", "unreachable", "no path from the start reaches this block"),
            (
                "spin1",
                "loop_without_exit",
                "loop spin1 → spin2 never waits for the visitor and would run forever",
            ),
            (
                "spin2",
                "loop_without_exit",
                "loop spin1 → spin2 never waits for the visitor and would run forever",
            ),
        ],
        key=str,
    )


def test_a_bad_document_field_does_not_hide_the_blocks_problems() -> None:
    data = {
        "name": 7,
        "start": "a",
        "blocks": [{"id": "a", "type": "message", "text": "hi", "next": "zz"}],
    }
    assert _codes(data) == {(None, "invalid_field"), ("a", "dangling_link")}


def test_a_block_with_a_bad_field_is_still_checked_for_links_and_reachability() -> None:
    data = _doc(
        {"id": "a", "type": "close"},
        {"id": "b", "type": "message", "text": 3, "next": "zz"},
    )
    assert _codes(data) == {("b", "invalid_field"), ("b", "dangling_link"), ("b", "unreachable")}


def test_a_block_of_unknown_type_is_only_reported_as_unknown() -> None:
    data = _doc({"id": "a", "type": "close"}, {"id": "b", "type": "warp", "next": "zz"})
    assert _codes(data) == {("b", "unknown_block_type")}


def test_locations_are_written_as_in_the_document() -> None:
    data = _doc(
        {
            "id": "a",
            "type": "branch",
            "rules": [{"when": [{"type": "attribute", "name": 5, "known": True}], "next": None}],
            "otherwise": None,
        },
    )
    _doc_, problems = check_workflow(data)
    assert [p.message for p in problems] == [
        "rules[0].when[0].name: Input should be a valid string",
        "missing required field 'otherwise' (rules)",
    ]


def test_no_coercion_a_string_is_not_a_boolean_nor_a_number_a_string() -> None:
    data = _doc(
        {"id": "a", "type": "ai", "confirm": "false", "on_unresolved": "b"},
        {"id": "b", "type": "message", "text": 42},
    )
    assert _codes(data) == {("a", "invalid_field"), ("b", "invalid_field")}


@pytest.mark.parametrize(
    "block",
    [
        {"id": "a", "type": "ai", "yes_label": ""},
        {"id": "a", "type": "ai", "confirm_text": ""},
        {"id": "a", "type": "ai", "abstain_text": ""},
        {"id": "a", "type": "handoff_freshchat", "text": ""},
        {"id": "a", "type": "handoff_freshdesk_ticket", "email_prompt": ""},
        {"id": "a", "type": "branch", "buttons": []},
    ],
)
def test_empty_texts_the_visitor_would_see_are_refused(block: dict[str, Any]) -> None:
    assert ("a", "invalid_field") in _codes(_doc(block))


def test_a_loop_whose_only_question_is_skipped_when_known_may_spin() -> None:
    data = _doc(
        {"id": "a", "type": "collect", "field": "email", "prompt": "Email?", "next": "b"},
        {
            "id": "b",
            "type": "branch",
            "rules": [
                {"when": [{"type": "attribute", "name": "plan", "known": True}], "next": "c"}
            ],
            "otherwise": "a",
        },
        {"id": "c", "type": "close"},
    )
    assert _codes(data) == {("a", "loop_without_exit"), ("b", "loop_without_exit")}
    _, problems = check_workflow(data)
    assert "once a is known (skip_if_known)" in problems[0].message
    # Asking every time waits for the visitor: no spin.
    data["blocks"][0]["skip_if_known"] = False
    assert _codes(data) == set()


def test_a_block_without_an_id_is_named_by_its_position() -> None:
    data = _doc({"id": "a", "type": "close"}, "close", {"type": "close"})
    assert _codes(data) == {("blocks[1]", "invalid_block"), ("blocks[2]", "missing_field")}


def test_problems_know_the_position_of_their_block() -> None:
    data = _doc(
        {"id": "a", "type": "message", "text": "x", "next": "zz"},
        {"id": "b", "type": "close"},
        {"id": "a", "type": "close", "colour": "red"},
    )
    _doc_, problems = check_workflow(data)
    assert sorted((p.position, p.code) for p in problems) == [
        (0, "dangling_link"),
        (1, "unreachable"),
        (2, "duplicate_id"),
        (2, "invalid_field"),
    ]
