"""Workflow documents (validated blocks) and the engine that runs a conversation through them."""
