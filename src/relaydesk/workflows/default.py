"""The default workflow a new install gets (``default.yaml``): the seed's hybrid path."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from relaydesk.workflows.schema import WorkflowDocument, parse_text
from relaydesk.workflows.validation import validate_workflow

DEFAULT_PATH = Path(__file__).with_name("default.yaml")


@lru_cache(maxsize=1)
def default_workflow() -> WorkflowDocument:
    """Return the validated default workflow."""
    return validate_workflow(parse_text(DEFAULT_PATH.read_text(encoding="utf-8")))
