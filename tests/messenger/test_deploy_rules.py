"""Deploy rules decide, on the server, on which pages the messenger shows."""

from __future__ import annotations

import pytest

from relaydesk.errors import InvalidInput
from relaydesk.messenger.deploy_rules import parse_deploy_rules


def test_no_rules_show_everywhere() -> None:
    assert parse_deploy_rules(None).shows_on("https://example.com/anything")


def test_include_globs_limit_pages() -> None:
    rules = parse_deploy_rules({"include": ["https://staging.example.com/*"]})
    assert rules.shows_on("https://staging.example.com/pricing")
    assert not rules.shows_on("https://www.example.com/pricing")


def test_exclude_wins_over_include() -> None:
    rules = parse_deploy_rules(
        {"include": ["https://www.example.com/*"], "exclude": ["*/checkout/*"]}
    )
    assert rules.shows_on("https://www.example.com/help")
    assert not rules.shows_on("https://www.example.com/checkout/pay")


def test_regex_patterns() -> None:
    rules = parse_deploy_rules({"exclude": [r"re:^https://[^/]+/admin(/|$)"]})
    assert not rules.shows_on("https://x.example.com/admin")
    assert rules.shows_on("https://x.example.com/help/admin-guide")


@pytest.mark.parametrize("value", [{"include": ["re:("]}, {"include": [""]}, {"other": []}, "x"])
def test_bad_rules_are_refused(value: object) -> None:
    with pytest.raises(InvalidInput):
        parse_deploy_rules(value)
