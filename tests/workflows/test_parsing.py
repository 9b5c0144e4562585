"""Reading workflow files: YAML read as YAML 1.2, JSON as JSON, syntax errors with their line."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from relaydesk.workflows.parsing import DocumentSyntaxError, dump_document, parse_document
from relaydesk.workflows.validation import check_workflow

YES_NO = """
start: ask
blocks:
  - id: ask
    type: branch
    text: Did that help?
    buttons:
      - {id: yes, label: Yes, next: bye}
      - {id: no, label: No, next: bye}
  - id: route
    type: branch
    rules:
      - when: [{type: language, in: [no, de]}]
        next: bye
    otherwise: bye
  - {id: bye, type: close, text: on}
"""


def test_yes_no_and_on_stay_strings_as_written() -> None:
    data = parse_document(YES_NO)
    buttons = data["blocks"][0]["buttons"]
    assert [(b["id"], b["label"]) for b in buttons] == [("yes", "Yes"), ("no", "No")]
    assert data["blocks"][1]["rules"][0]["when"][0]["in"] == ["no", "de"]  # Norwegian
    assert data["blocks"][2]["text"] == "on"
    _doc, problems = check_workflow(data)
    assert [p.code for p in problems] == ["unreachable"]  # 'route': nothing else is wrong


def test_scalars_follow_yaml_1_2() -> None:
    data = parse_document(
        "a: true\nb: False\nc: 12\nd: -3\ne: 1.5\nf: 09\ng: 2026-12-25\nh: 12:30\ni: ~\nj: 0x1f\n"
    )
    assert data == {
        "a": True,
        "b": False,
        "c": 12,
        "d": -3,
        "e": 1.5,
        "f": 9,
        "g": "2026-12-25",
        "h": "12:30",
        "i": None,
        "j": "0x1f",
    }


def test_a_string_where_a_boolean_belongs_is_reported() -> None:
    data = parse_document("start: a\nblocks:\n  - {id: a, type: ai, confirm: yes}\n")
    _doc, problems = check_workflow(data)
    assert [(p.block, p.code) for p in problems] == [("a", "invalid_field")]
    assert "confirm" in problems[0].message and "boolean" in problems[0].message


def test_yaml_syntax_error_says_line_and_column() -> None:
    text = "start: a\nblocks:\n  - {id: a, type: close\n"
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document(text, filename="w.yaml")
    assert (info.value.line, info.value.column) == (4, 1)
    assert str(info.value).startswith("line 4, column 1: expected ',' or '}'")
    assert "flow mapping at line 3, column 5" in str(info.value)


def test_bad_indentation_says_line() -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document("start: a\n blocks: x\n")
    assert info.value.line == 2
    assert "mapping values are not allowed here" in str(info.value)


def test_a_key_given_twice_is_an_error_with_both_lines() -> None:
    text = (
        "start: a\nblocks:\n  - id: a\n    type: message\n    text: hi\n    next: b\n    next: c\n"
    )
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document(text)
    assert info.value.line == 7
    assert "duplicate key 'next' (first given on line 6)" in str(info.value)


def test_merge_keys_may_be_overridden() -> None:
    text = "base: &b {type: close, text: Bye}\nblocks:\n  - {<<: *b, id: a, text: Ciao}\n"
    assert parse_document(text)["blocks"] == [{"type": "close", "text": "Ciao", "id": "a"}]


def test_json_with_tabs_reads_as_json() -> None:
    text = '{\n\t"start": "c",\n\t"blocks": [{"id": "c", "type": "close"}]\n}'
    assert parse_document(text)["start"] == "c"
    assert parse_document(text, filename="w.JSON")["start"] == "c"


def test_json_syntax_error_says_line_and_column() -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document('{\n  "start": "c",\n}\n', filename="w.json")
    assert (info.value.line, info.value.column) == (3, 1)
    assert "invalid JSON" in str(info.value)


def test_json_duplicate_key_is_an_error() -> None:
    with pytest.raises(DocumentSyntaxError, match="duplicate key 'start'"):
        parse_document('{"start": "a", "start": "b"}', filename="w.json")
    with pytest.raises(DocumentSyntaxError, match="duplicate key 'start'"):
        parse_document('{"start": "a", "start": "b"}')


def test_yaml_flow_style_document_is_yaml() -> None:
    assert parse_document("{start: a, blocks: []}") == {"start": "a", "blocks": []}


_plain = st.text(
    alphabet=st.sampled_from(list("0123456789+-._:eExXoO~ abnlNyYtTfF\x85\u2028\t\n'\"#")),
    max_size=8,
)
_any = st.recursive(
    st.none() | st.booleans() | st.integers() | _plain | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_plain, inner, max_size=3),
    max_leaves=12,
)


@given(_any)
@settings(max_examples=300, deadline=None)
def test_what_show_prints_reads_back_the_same(data: Any) -> None:
    text = dump_document({"value": data})
    assert parse_document(text) == {"value": data}
    assert yaml.safe_load(text) == {"value": data}  # and so do YAML 1.1 readers
