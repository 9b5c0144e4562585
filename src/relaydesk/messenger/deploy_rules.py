"""Deploy rules: on which pages the messenger shows, decided by the server.

Stored as the product setting ``deploy_rules``::

    {"include": ["https://www.example.com/*", "re:^https://shop\\.example\\.com/"],
     "exclude": ["*/checkout/*"]}

A pattern is a glob (``*`` any text, ``?`` one character, matched against the whole URL) or,
prefixed with ``re:``, a regular expression searched in the URL. An empty ``include`` list
means every page; ``exclude`` wins over ``include``. A staging-only install is simply
``{"include": ["https://staging.example.com/*"]}``.
"""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from relaydesk.errors import InvalidInput

SETTING_KEY = "deploy_rules"
MAX_PATTERNS = 200


@lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Return the compiled form of a glob or ``re:`` pattern (raise re.error when invalid)."""
    if pattern.startswith("re:"):
        return re.compile(pattern[3:])
    return re.compile(fnmatch.translate(pattern))


def pattern_matches(pattern: str, url: str) -> bool:
    """Tell whether url matches a glob (whole URL) or a ``re:`` regex (searched)."""
    compiled = compile_pattern(pattern)
    if pattern.startswith("re:"):
        return compiled.search(url) is not None
    return compiled.match(url) is not None


class DeployRules(BaseModel):
    """URL include/exclude patterns; an empty include list shows the messenger everywhere."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    include: list[str] = Field(default_factory=list, max_length=MAX_PATTERNS)
    exclude: list[str] = Field(default_factory=list, max_length=MAX_PATTERNS)

    @field_validator("include", "exclude")
    @classmethod
    def _valid_patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            if not pattern or len(pattern) > 1000:
                raise ValueError("a pattern must have 1 to 1000 characters")
            try:
                compile_pattern(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
        return value

    def shows_on(self, page_url: str) -> bool:
        """Tell whether the messenger shows on page_url."""
        if any(pattern_matches(p, page_url) for p in self.exclude):
            return False
        return not self.include or any(pattern_matches(p, page_url) for p in self.include)


def parse_deploy_rules(value: Any) -> DeployRules:
    """Return the DeployRules in a stored/posted value (None: show everywhere)."""
    if value is None:
        return DeployRules()
    try:
        return DeployRules.model_validate(value)
    except ValidationError as exc:
        errors = [{"loc": [str(p) for p in e["loc"]], "msg": str(e["msg"])} for e in exc.errors()]
        first = errors[0]
        raise InvalidInput(f"deploy rules: {first['msg']}", errors=errors) from exc
