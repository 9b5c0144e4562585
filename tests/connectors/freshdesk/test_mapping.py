"""Field mapping: validation against ticket fields, and coercion of contact values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from relaydesk.connectors.freshdesk.config import FreshdeskConfig, choice_lists, validate_config
from relaydesk.connectors.freshdesk.mapping import (
    FieldMap,
    ValueMismatch,
    coerce,
    ticket_values,
    validate_mapping,
)
from tests.connectors.freshdesk.fields import FIELDS, GROUPS

BY_NAME = {f.name: f for f in FIELDS}


def test_valid_mapping_has_no_problems() -> None:
    entries = [
        FieldMap(field="cf_plan", attribute="plan"),
        FieldMap(field="cf_seats", attribute="seats"),
        FieldMap(field="cf_region", value="eu"),
        FieldMap(field="ticket_type", value="Question"),
    ]
    assert validate_mapping(entries, FIELDS) == []


def test_unknown_field_is_refused_with_the_known_ones() -> None:
    (problem,) = validate_mapping([FieldMap(field="cf_Plan", attribute="plan")], FIELDS)
    assert problem["field"] == "cf_Plan"
    assert "no ticket field 'cf_Plan'" in problem["message"]
    assert "cf_plan" in problem["message"] and "case-sensitive" in problem["message"]


def test_wrong_type_of_constant_is_refused() -> None:
    problems = validate_mapping(
        [
            FieldMap(field="cf_seats", value="many"),
            FieldMap(field="cf_region", value="Mars"),
            FieldMap(field="cf_vip", value="maybe"),
            FieldMap(field="cf_since", value="yesterday"),
        ],
        FIELDS,
    )
    messages = {p["field"]: p["message"] for p in problems}
    assert "not a whole number" in messages["cf_seats"]
    assert "EU, US, APAC" in messages["cf_region"]
    assert "true or false" in messages["cf_vip"]
    assert "YYYY-MM-DD" in messages["cf_since"]


def test_builtin_fields_and_duplicates_are_refused() -> None:
    problems = validate_mapping(
        [
            FieldMap(field="priority", attribute="plan"),
            FieldMap(field="cf_plan", attribute="plan"),
            FieldMap(field="cf_plan", attribute="tier"),
            FieldMap(field="cf_region", attribute="<bad>"),
        ],
        FIELDS,
    )
    assert [p["field"] for p in problems] == ["priority", "cf_plan", "cf_region"]
    assert "built-in" in problems[0]["message"]
    assert "twice" in problems[1]["message"]


def test_entry_needs_exactly_one_source() -> None:
    with pytest.raises(ValidationError):
        FieldMap(field="cf_plan")
    with pytest.raises(ValidationError):
        FieldMap(field="cf_plan", attribute="plan", value="x")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("cf_seats", "12", 12),
        ("cf_seats", 12.0, 12),
        ("cf_score", "1.5", 1.5),
        ("cf_vip", "yes", True),
        ("cf_vip", False, False),
        ("cf_since", "2026-01-02", "2026-01-02"),
        ("cf_since", "2026-01-02T09:30:00Z", "2026-01-02"),  # a JWT's timestamp attribute
        ("cf_since", "2026-01-02T23:30:00-02:00", "2026-01-03"),  # the date in UTC
        ("cf_region", "apac", "APAC"),
        ("cf_plan", 42, "42"),
        ("cf_plan", "x" * 300, "x" * 255),
    ],
)
def test_coerce(name: str, value: object, expected: object) -> None:
    assert coerce(BY_NAME[name], value) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("cf_seats", 1.5),
        ("cf_seats", True),
        ("cf_seats", "1e3"),
        ("cf_plan", ["a"]),
        ("cf_score", "x"),
        ("cf_score", "nan"),  # JSON has no NaN: it went out as null, or broke the config
        ("cf_score", "Infinity"),
        ("cf_score", float("inf")),
        ("cf_score", "1e400"),
    ],
)
def test_coerce_refuses(name: str, value: object) -> None:
    with pytest.raises(ValueMismatch):
        coerce(BY_NAME[name], value)


def test_ticket_values_leave_out_what_does_not_fit() -> None:
    entries = [
        FieldMap(field="cf_plan", attribute="plan"),
        FieldMap(field="cf_seats", attribute="seats"),
        FieldMap(field="cf_region", attribute="region"),
        FieldMap(field="ticket_type", value="Incident"),
        FieldMap(field="cf_vip", attribute="email"),
    ]
    values = ticket_values(
        entries,
        FIELDS,
        attributes={"plan": "Pro", "seats": "lots", "region": None},
        contact_fields={"email": "a@b.test"},
    )
    assert values.custom_fields == {"cf_plan": "Pro"}
    assert values.type == "Incident"
    assert any("cf_seats" in p for p in values.problems)
    assert any("cf_vip" in p for p in values.problems)


def test_config_is_validated_against_groups_and_choices() -> None:
    cfg = FreshdeskConfig(group_id=999, priority=9, status=3, source=8)
    problems = {
        p["field"]: p["message"] for p in validate_config(cfg, groups=GROUPS, fields=FIELDS)
    }
    assert "no group 999" in problems["group_id"] and "101 (Support)" in problems["group_id"]
    assert "priority 9" in problems["priority"] and "4 (Urgent)" in problems["priority"]
    assert "source 8" in problems["source"]
    assert "status" not in problems
    ok = FreshdeskConfig(group_id=101, priority=2, status=2, source=7, tags=["a", " a ", "b"])
    assert validate_config(ok, groups=GROUPS, fields=FIELDS) == []
    assert ok.tags == ["a", "b"]


def test_choice_lists_read_the_accounts_fields() -> None:
    lists = choice_lists(FIELDS)
    assert lists["status"] == {2: "Open", 3: "Pending"}
    assert lists["source"] == {1: "Email", 2: "Portal", 7: "Chat"}
    # without fields, Freshdesk's standard values
    assert choice_lists([])["priority"][4] == "Urgent"


def test_config_round_trips_through_options() -> None:
    cfg = FreshdeskConfig(group_id=101, field_mapping=[FieldMap(field="cf_plan", attribute="plan")])
    assert FreshdeskConfig.from_options({"x": 1, **cfg.to_options()}) == cfg
    assert FreshdeskConfig.from_options(None) == FreshdeskConfig()
    with pytest.raises(ValidationError):
        FreshdeskConfig(tags=["a,b"])


def test_tags_longer_than_freshdesks_32_characters_are_refused() -> None:
    # Freshdesk refuses the whole ticket for one tag over 32 characters (400 on "tags").
    ok = "x" * 32
    assert FreshdeskConfig(tags=[ok]).tags == [ok]
    with pytest.raises(ValidationError, match="32"):
        FreshdeskConfig(tags=["escalated-from-the-ai-chat-assistant"])


def test_a_stored_over_long_tag_is_left_out_not_fatal() -> None:
    # A configuration stored before the limit was enforced must still load: every ticket
    # job reads it.
    stored = {"tickets": {"tags": ["relaydesk", "escalated-from-the-ai-chat-assistant"]}}
    assert FreshdeskConfig.from_options(stored).tags == ["relaydesk"]
