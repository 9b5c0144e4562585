"""A visitor using the messenger HTTP API as the widget does (for the end-to-end stacks)."""

from __future__ import annotations

from typing import Any

import httpx

V1 = "/messenger/v1"


class MessengerVisitor:
    """Opens a visitor session on ``url`` at once; ``start`` opens a conversation."""

    def __init__(self, url: str, *, page_url: str, user_jwt: str | None = None) -> None:
        self.url = url
        self.page_url = page_url
        self.user_jwt = user_jwt
        self.conversation_id = ""
        self.http = httpx.Client(timeout=30)
        body: dict[str, Any] = {"page_url": page_url}
        if user_jwt:
            body["user_jwt"] = user_jwt
        r = self.http.post(f"{url}{V1}/sessions", json=body)
        r.raise_for_status()
        self.token: str = r.json()["visitor_token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def start(self) -> list[dict[str, Any]]:
        """Start a conversation; return the workflow's first messages."""
        r = self.http.post(f"{self.url}{V1}/conversations", json={"page_url": self.page_url})
        r.raise_for_status()
        self.conversation_id = r.json()["id"]
        return list(r.json()["messages"])

    def post(self, **body: str) -> list[dict[str, Any]]:
        """Send text= or button_id=; return every message the step produced."""
        r = self.http.post(
            f"{self.url}{V1}/conversations/{self.conversation_id}/messages", json=body
        )
        assert r.status_code == 200, r.text
        return list(r.json()["messages"])

    def conversation(self) -> dict[str, Any]:
        """Return the conversation with its messages, as the widget reads it."""
        r = self.http.get(f"{self.url}{V1}/conversations/{self.conversation_id}")
        r.raise_for_status()
        data: dict[str, Any] = r.json()
        return data

    def texts(self) -> list[str]:
        """Return the texts of the conversation's messages, in order."""
        return [m["text"] for m in self.conversation()["messages"]]
