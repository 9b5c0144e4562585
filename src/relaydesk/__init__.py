"""relaydesk: a self-hosted AI support agent that hands off to Freshchat and Freshdesk."""

__version__ = "0.1.0"
