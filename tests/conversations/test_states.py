"""The status machine: every allowed and refused transition."""

from __future__ import annotations

import itertools

import pytest

from relaydesk.conversations.states import TRANSITIONS, Status, can_transition, check_transition
from relaydesk.errors import InvalidTransition

ALLOWED = {
    ("open", "with_agent"),
    ("open", "ticketed"),
    ("open", "resolved"),
    ("with_agent", "open"),
    ("with_agent", "ticketed"),
    ("with_agent", "resolved"),
    ("ticketed", "open"),
    ("ticketed", "with_agent"),
    ("ticketed", "resolved"),
    ("resolved", "open"),
    ("resolved", "with_agent"),
}


@pytest.mark.parametrize("pair", list(itertools.product([s.value for s in Status], repeat=2)))
def test_transition_table(pair: tuple[str, str]) -> None:
    current, new = pair
    if pair in ALLOWED:
        assert can_transition(current, new)
        check_transition(current, new)
    else:
        assert not can_transition(current, new)
        with pytest.raises(InvalidTransition, match=f"from {current} to {new}"):
            check_transition(current, new)


def test_every_status_has_a_way_out() -> None:
    assert all(TRANSITIONS[s] for s in Status)
