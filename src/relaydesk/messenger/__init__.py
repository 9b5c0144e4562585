"""The visitor-facing messenger: HTTP + WebSocket API, identity, deploy rules, the widget."""
