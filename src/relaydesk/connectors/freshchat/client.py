"""FreshchatClient: the Freshchat Conversations API v2, one method per endpoint.

No business logic lives here (that is ``sync.py``). The ``httpx.AsyncClient`` is injected;
build it with ``relaydesk.connectors.http.make_client`` (or ``open_freshchat_http``), whose
transport logs every call and raises the connector error tree.
"""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from relaydesk.connectors.errors import RemoteRejected
from relaydesk.connectors.freshchat.schemas import (
    AccountConfiguration,
    ConversationCreate,
    ConversationUpdate,
    FreshchatAgent,
    FreshchatChannel,
    FreshchatConversation,
    FreshchatGroup,
    FreshchatMessage,
    FreshchatUser,
    MessageCreate,
    UserCreate,
)
from relaydesk.connectors.http import BearerAuth, IntegrationLog, make_client

SYSTEM = "freshchat"
PAGE_SIZE = 50
MAX_PAGES = 200

M = TypeVar("M", bound=BaseModel)


def open_freshchat_http(
    base_url: str,
    api_key: str,
    *,
    log: IntegrationLog | None = None,
    timeout: float = 10.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """Return the AsyncClient for a Freshchat account (a trailing ``/v2`` is dropped)."""
    root = base_url.rstrip("/")
    if root.endswith("/v2"):
        root = root[: -len("/v2")]
    return make_client(
        root,
        BearerAuth(api_key),
        timeout,
        system=SYSTEM,
        log=log,
        transport=transport,
        headers={"Content-Type": "application/json"},
    )


def _body(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError as exc:
        raise RemoteRejected(
            f"freshchat {response.request.url.path}: answer is not JSON",
            system=SYSTEM,
            status_code=response.status_code,
            body=response.text[:500],
        ) from exc
    if not isinstance(data, dict):
        raise RemoteRejected(
            f"freshchat {response.request.url.path}: answer is not a JSON object",
            system=SYSTEM,
            status_code=response.status_code,
            body=data,
        )
    return data


class FreshchatClient:
    """Freshchat Conversations API v2. One method per endpoint; no business logic."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def aclose(self) -> None:
        """Close the underlying HTTP client."""
        await self.http.aclose()

    async def __aenter__(self) -> FreshchatClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- account ------------------------------------------------------------------------

    async def get_account_configuration(self) -> AccountConfiguration:
        """``GET /v2/accounts/configuration``: the cheap token check; gives ``app_id``."""
        response = await self.http.get("/v2/accounts/configuration")
        return AccountConfiguration.model_validate(_json(response))

    # --- users ----------------------------------------------------------------------------

    async def find_users(
        self, *, email: str | None = None, reference_id: str | None = None
    ) -> list[FreshchatUser]:
        """``GET /v2/users?email=`` or ``?reference_id=``: users matching one filter."""
        params: dict[str, str] = {}
        if reference_id:
            params["reference_id"] = reference_id
        elif email:
            params["email"] = email
        else:
            raise ValueError("find_users needs email or reference_id")
        response = await self.http.get("/v2/users", params=params)
        return [FreshchatUser.model_validate(u) for u in _json(response).get("users") or []]

    async def get_user(self, user_id: str) -> FreshchatUser:
        """``GET /v2/users/{id}``."""
        response = await self.http.get(f"/v2/users/{user_id}")
        return FreshchatUser.model_validate(_json(response))

    async def create_user(self, body: UserCreate) -> FreshchatUser:
        """``POST /v2/users``."""
        response = await self.http.post("/v2/users", json=_body(body))
        return FreshchatUser.model_validate(_json(response))

    async def update_user(self, user_id: str, body: UserCreate) -> FreshchatUser:
        """``PUT /v2/users/{id}`` with the fields to change."""
        response = await self.http.put(f"/v2/users/{user_id}", json=_body(body))
        return FreshchatUser.model_validate(_json(response))

    async def delete_user(self, user_id: str) -> None:
        """``DELETE /v2/users/{id}`` (GDPR); raises AlreadyGone on 404."""
        await self.http.delete(f"/v2/users/{user_id}")

    # --- conversations --------------------------------------------------------------------

    async def create_conversation(self, body: ConversationCreate) -> FreshchatConversation:
        """``POST /v2/conversations`` with its first messages."""
        response = await self.http.post("/v2/conversations", json=_body(body))
        return FreshchatConversation.model_validate(_json(response))

    async def get_conversation(self, conversation_id: str) -> FreshchatConversation:
        """``GET /v2/conversations/{id}``."""
        response = await self.http.get(f"/v2/conversations/{conversation_id}")
        return FreshchatConversation.model_validate(_json(response))

    async def update_conversation(
        self, conversation_id: str, body: ConversationUpdate
    ) -> FreshchatConversation:
        """``PUT /v2/conversations/{id}``: status, assignment, properties."""
        response = await self.http.put(f"/v2/conversations/{conversation_id}", json=_body(body))
        data = _json(response)
        data.setdefault("conversation_id", conversation_id)
        return FreshchatConversation.model_validate(data)

    async def list_user_conversations(self, user_id: str) -> list[str]:
        """``GET /v2/users/{id}/conversations``: the ids of a user's conversations."""
        response = await self.http.get(f"/v2/users/{user_id}/conversations")
        items = _json(response).get("conversations") or []
        return [str(c.get("id") or c.get("conversation_id")) for c in items if isinstance(c, dict)]

    # --- messages -------------------------------------------------------------------------

    async def list_messages_page(
        self, conversation_id: str, *, page: int = 1, items_per_page: int = PAGE_SIZE
    ) -> tuple[list[FreshchatMessage], bool]:
        """``GET /v2/conversations/{id}/messages``: one page, and whether another follows."""
        response = await self.http.get(
            f"/v2/conversations/{conversation_id}/messages",
            params={"page": page, "items_per_page": items_per_page},
        )
        data = _json(response)
        messages = [FreshchatMessage.model_validate(m) for m in data.get("messages") or []]
        return messages, _has_next(data, page, len(messages), items_per_page)

    async def list_messages(self, conversation_id: str) -> list[FreshchatMessage]:
        """Every message of a conversation, sorted by ``created_time`` (all pages)."""
        found: list[FreshchatMessage] = []
        for page in range(1, MAX_PAGES + 1):
            items, more = await self.list_messages_page(conversation_id, page=page)
            found.extend(items)
            if not more:
                break
        return oldest_first(found)

    async def post_message(self, conversation_id: str, body: MessageCreate) -> FreshchatMessage:
        """``POST /v2/conversations/{id}/messages``."""
        response = await self.http.post(
            f"/v2/conversations/{conversation_id}/messages", json=_body(body)
        )
        data = _json(response)
        data.setdefault("conversation_id", conversation_id)
        return FreshchatMessage.model_validate(data)

    # --- agents, groups, channels ----------------------------------------------------------

    async def list_agents(self) -> list[FreshchatAgent]:
        """``GET /v2/agents`` (all pages)."""
        return await self._list_all("/v2/agents", "agents", FreshchatAgent)

    async def get_agent(self, agent_id: str) -> FreshchatAgent:
        """``GET /v2/agents/{id}``."""
        response = await self.http.get(f"/v2/agents/{agent_id}")
        return FreshchatAgent.model_validate(_json(response))

    async def list_groups(self) -> list[FreshchatGroup]:
        """``GET /v2/groups`` (all pages)."""
        return await self._list_all("/v2/groups", "groups", FreshchatGroup)

    async def list_channels(self) -> list[FreshchatChannel]:
        """``GET /v2/channels`` (all pages): the topics."""
        return await self._list_all("/v2/channels", "channels", FreshchatChannel)

    async def _list_all(self, path: str, key: str, model: type[M]) -> list[M]:
        found: list[M] = []
        for page in range(1, MAX_PAGES + 1):
            response = await self.http.get(path, params={"page": page, "items_per_page": PAGE_SIZE})
            data = _json(response)
            items = [model.model_validate(i) for i in data.get(key) or []]
            found.extend(items)
            if not _has_next(data, page, len(items), PAGE_SIZE):
                break
        return found


def oldest_first(messages: list[FreshchatMessage]) -> list[FreshchatMessage]:
    """Return messages oldest first, whichever order the API listed them in.

    A newest-first listing is reversed before the stable sort by ``created_time``, so
    messages created in the same millisecond keep their true order.
    """
    times = [m.created_time or "" for m in messages]
    if len(times) > 1 and times[0] > times[-1]:
        messages = list(reversed(messages))
    return sorted(messages, key=lambda m: m.created_time or "")


def _has_next(data: dict[str, Any], page: int, count: int, per_page: int) -> bool:
    links = data.get("links")
    if isinstance(links, dict):
        nxt = links.get("next_page")
        if isinstance(nxt, dict) and nxt.get("href"):
            return True
    pagination = data.get("pagination")
    if isinstance(pagination, dict) and pagination.get("total_pages") is not None:
        return int(pagination["total_pages"]) > page
    if isinstance(links, dict) or isinstance(pagination, dict):
        return False
    return count >= per_page


__all__ = ["PAGE_SIZE", "SYSTEM", "FreshchatClient", "oldest_first", "open_freshchat_http"]
