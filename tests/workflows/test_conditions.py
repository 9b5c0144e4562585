"""Attribute conditions compare what the visitor typed (text) with numbers and booleans."""

from __future__ import annotations

from typing import Any

import pytest

from relaydesk.workflows.conditions import values_equal


@pytest.mark.parametrize(
    ("value", "expected", "equal"),
    [
        ("5", 5, True),  # a collected answer is text; the condition says a number
        (5, "5", True),  # a JWT's number; the condition says text
        ("5.0", 5, True),
        ("2.50", 2.5, True),
        ("1e3", 1000, True),
        (" PRO ", "pro", True),
        ("TRUE", True, True),
        (True, "true", True),
        ("yes", True, False),
        (0, False, False),  # a number is not a boolean
        (1, True, False),
        ("6", 5, False),
        (None, "x", False),
        ([1], "[1]", False),
        ({"a": 1}, "a", False),
    ],
)
def test_values_equal(value: Any, expected: Any, equal: bool) -> None:
    assert values_equal(value, expected) is equal
