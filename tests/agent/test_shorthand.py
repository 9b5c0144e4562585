from __future__ import annotations

import pytest

from relaydesk.agent.shorthand import expand_shorthand


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("forgot pw", "forgot password"),
        ("PW reset?", "password reset?"),
        ("my acct is locked, pls help", "my account is locked, please help"),
        ("turn notifs off w/o missing stuff", "turn notifications off without missing stuff"),
        ("can u check ur settings", "can you check your settings"),
    ],
)
def test_chat_shorthand_is_spelt_out(text: str, expanded: str) -> None:
    assert expand_shorthand(text) == expanded


@pytest.mark.parametrize(
    "text",
    [
        "pwd123 is my old one",  # part of a longer word
        "made in the U.S.",  # an initial, not "you"
        "how many hr people can join",  # ambiguous forms are left alone
        "my subscription",
    ],
)
def test_other_words_are_left_alone(text: str) -> None:
    assert expand_shorthand(text) == text
