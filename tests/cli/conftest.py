"""CLI fixtures: the connectors' sandbox fixture."""

from tests.connectors.conftest import _connector_sandbox, sandbox

__all__ = ["_connector_sandbox", "sandbox"]
