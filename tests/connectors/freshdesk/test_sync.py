"""Ticket building and the exactly-once create, against the sandbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from relaydesk.connectors.errors import RemoteRejected
from relaydesk.connectors.freshdesk.client import FreshdeskClient, open_freshdesk_http
from relaydesk.connectors.freshdesk.config import FreshdeskConfig
from relaydesk.connectors.freshdesk.mapping import FieldMap
from relaydesk.connectors.freshdesk.schemas import TicketField
from relaydesk.connectors.freshdesk.sync import (
    Requester,
    build_ticket,
    create_ticket_once,
    ticket_marker,
)
from relaydesk.sandbox.server import RunningSandbox
from tests.connectors.freshdesk.test_tickets import Msg

T = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
CONV = "0123456789abcdef0123456789abcdef"


def test_marker_fits_freshdesks_tag_limit() -> None:
    assert ticket_marker(CONV) == "rd-" + CONV[:29]
    assert len(ticket_marker(CONV)) == 32


def test_build_ticket_maps_fields_and_reports_what_does_not_fit() -> None:
    fields = [
        TicketField(id=1, name="cf_plan", type="custom_text"),
        TicketField(id=2, name="cf_seats", type="custom_number"),
    ]
    config = FreshdeskConfig(
        group_id=7,
        priority=3,
        tags=["relaydesk"],
        field_mapping=[
            FieldMap(field="cf_plan", attribute="plan"),
            FieldMap(field="cf_seats", attribute="seats"),
        ],
    )
    draft = build_ticket(
        conversation_id=CONV,
        requester=Requester(
            email="a@example.com",
            name="Ann",
            verified=True,
            attributes={"plan": "Pro", "seats": "lots"},
        ),
        messages=[Msg("visitor", "Where is my parcel?"), Msg("ai", "Let me check.")],
        config=config,
        ticket_fields=fields,
    )
    body = draft.body
    assert body.subject == "Where is my parcel?"
    assert body.email == "a@example.com" and body.name == "Ann"
    assert body.group_id == 7 and body.priority == 3 and body.source == 7
    assert body.tags == ["relaydesk", draft.marker]
    assert body.custom_fields == {"cf_plan": "Pro"}
    assert "cf_seats is a number field" in body.description  # shown to the agent
    assert draft.problems


async def test_second_create_finds_the_first_ticket(
    sandbox: RunningSandbox, fd: FreshdeskClient
) -> None:
    draft = build_ticket(
        conversation_id=CONV,
        requester=Requester(email="once@example.com"),
        messages=[Msg("visitor", "Help")],
        config=FreshdeskConfig(),
    )
    first, created = await create_ticket_once(fd, draft, since=T)
    assert created
    again, created_again = await create_ticket_once(fd, draft, since=T)
    assert not created_again and again.id == first.id
    other = build_ticket(
        conversation_id="f" * 32,
        requester=Requester(email="once@example.com"),
        messages=[Msg("visitor", "Another matter")],
        config=FreshdeskConfig(),
    )
    third, created_third = await create_ticket_once(fd, other, since=T)
    assert created_third and third.id != first.id


async def test_refused_mapped_field_is_dropped_once(fd: FreshdeskClient) -> None:
    # cf_region accepts only EU/US/APAC in the sandbox: Freshdesk refuses the value (400)
    draft = build_ticket(
        conversation_id=CONV,
        requester=Requester(email="fields@example.com", attributes={"region": "Mars"}),
        messages=[Msg("visitor", "Hello, a question about billing")],
        config=FreshdeskConfig(field_mapping=[FieldMap(field="cf_region", attribute="region")]),
        ticket_fields=[TicketField(id=1, name="cf_region", type="custom_text")],  # stale list
    )
    assert draft.body.custom_fields == {"cf_region": "Mars"}
    ticket, created = await create_ticket_once(fd, draft, since=T)
    assert created
    got = await fd.get_ticket(ticket.id)
    assert not got.custom_fields.get("cf_region")
    assert "refused by Freshdesk" in (got.description or "")


async def test_a_group_deleted_in_freshdesk_still_gives_the_ticket(fd: FreshdeskClient) -> None:
    # The configured group was deleted in Freshdesk after relaydesk was configured: Freshdesk
    # refuses group_id (400). The ticket is made without it (Freshdesk's own routing) and says
    # why, instead of every ticket being lost until someone notices.
    draft = build_ticket(
        conversation_id=CONV,
        requester=Requester(email="nogroup@example.com"),
        messages=[Msg("visitor", "Where is my refund?")],
        config=FreshdeskConfig(group_id=999999),
    )
    ticket, created = await create_ticket_once(fd, draft, since=T)
    assert created
    got = await fd.get_ticket(ticket.id)
    assert got.group_id is None
    assert "group 999999" in (got.description or "")
    assert "Where is my refund?" in (got.description or "")


async def test_other_refusals_propagate(fd: FreshdeskClient) -> None:
    draft = build_ticket(
        conversation_id=CONV,
        requester=Requester(email="not-an-email"),
        messages=[Msg("visitor", "Hi")],
        config=FreshdeskConfig(),
    )
    with pytest.raises(RemoteRejected):
        await create_ticket_once(fd, draft, since=T)


class ListWithoutTags(httpx.AsyncBaseTransport):
    """The real sandbox, except that ticket lists leave ``tags`` out (as some list views do)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        async with httpx.AsyncHTTPTransport() as network:
            answer = await network.handle_async_request(request)
            content = await answer.aread()
        if request.method == "GET" and request.url.path == "/api/v2/tickets" and answer.is_success:
            rows = json.loads(content)
            for row in rows:
                row.pop("tags", None)
            content = json.dumps(rows).encode()
        headers = [(k, v) for k, v in answer.headers.items() if k.lower() != "content-length"]
        return httpx.Response(answer.status_code, headers=headers, content=content)


async def test_lookup_reads_tickets_whose_list_entry_has_no_tags(
    sandbox: RunningSandbox, fd_key: str
) -> None:
    http = open_freshdesk_http(sandbox.url, fd_key, transport=ListWithoutTags())
    async with FreshdeskClient(http) as client:
        draft = build_ticket(
            conversation_id=CONV,
            requester=Requester(email="notags@example.com"),
            messages=[Msg("visitor", "Help")],
            config=FreshdeskConfig(),
        )
        first, created = await create_ticket_once(client, draft, since=T)
        again, created_again = await create_ticket_once(client, draft, since=T)
    assert created and not created_again and again.id == first.id


async def test_first_ticket_of_a_requester_freshdesk_has_never_seen(fd: FreshdeskClient) -> None:
    # Freshdesk answers the lookup for an email no contact has with 400 "There is no contact
    # matching the given email": that means "no ticket yet", not "cannot create one".
    draft = build_ticket(
        conversation_id=CONV,
        requester=Requester(email="brand-new@example.com"),
        messages=[Msg("visitor", "My first question")],
        config=FreshdeskConfig(),
    )
    ticket, created = await create_ticket_once(fd, draft, since=T)
    assert created
    again, created_again = await create_ticket_once(fd, draft, since=T)
    assert not created_again and again.id == ticket.id


async def test_a_tag_freshdesk_refuses_is_left_out_but_the_marker_kept(
    fd: FreshdeskClient,
) -> None:
    draft = build_ticket(
        conversation_id=CONV,
        requester=Requester(email="tags@example.com"),
        messages=[Msg("visitor", "Please call me back")],
        config=FreshdeskConfig(tags=["relaydesk"]),
    )
    long_tag = "escalated-from-the-ai-chat-assistant"  # 36 characters: Freshdesk says 400
    draft.body.tags.insert(0, long_tag)
    ticket, created = await create_ticket_once(fd, draft, since=T)
    assert created
    got = await fd.get_ticket(ticket.id)
    assert got.tags == ["relaydesk", draft.marker]
    assert long_tag in (got.description or "")
    again, created_again = await create_ticket_once(fd, draft, since=T)
    assert not created_again and again.id == ticket.id
