"""Admin console and admin HTTP API."""
