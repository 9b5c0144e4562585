"""FreshdeskClient against the sandbox over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from relaydesk.connectors.errors import (
    AlreadyGone,
    CallsPaused,
    RateLimited,
    RemoteRejected,
    TransportFailed,
)
from relaydesk.connectors.freshdesk.client import FreshdeskClient, open_freshdesk_http
from relaydesk.connectors.freshdesk.schemas import ContactCreate, TicketCreate
from relaydesk.connectors.http import MemoryIntegrationLog
from relaydesk.connectors.pauses import remote_pauses
from relaydesk.sandbox.server import RunningSandbox
from tests.connectors.freshdesk.conftest import set_fault


async def test_lists_groups_and_ticket_fields(fd: FreshdeskClient) -> None:
    groups = await fd.list_groups()
    assert {"Support", "Billing"} <= {g.name for g in groups}
    fields = {f.name: f for f in await fd.list_ticket_fields()}
    assert fields["cf_plan"].type == "custom_text" and fields["cf_plan"].custom
    assert fields["priority"].default and not fields["priority"].custom


async def test_ticket_round_trip_with_notes_and_reply(fd: FreshdeskClient) -> None:
    group = (await fd.list_groups())[0]
    body = TicketCreate(
        email="new.person@example.com",
        name="New Person",
        subject="Order never arrived",
        description="<p>Transcript</p>",
        group_id=group.id,
        tags=["relaydesk", "rd-abc"],
        custom_fields={"cf_plan": "Pro", "cf_seats": 3},
    )
    ticket = await fd.create_ticket(body)
    assert ticket.id > 0
    got = await fd.get_ticket(ticket.id)
    assert got.subject == "Order never arrived"
    assert got.group_id == group.id and got.source == 7
    assert "rd-abc" in got.tags
    assert got.custom_fields.get("cf_plan") == "Pro"
    listed = await fd.list_tickets(
        email="new.person@example.com", updated_since=datetime.now(UTC) - timedelta(days=1)
    )
    assert [t.id for t in listed] == [ticket.id]
    note = await fd.add_note(ticket.id, "<p>more</p>", private=False, incoming=True)
    assert note.id > 0
    reply = await fd.reply(ticket.id, "<p>hello</p>")
    assert reply.id > 0
    # the requester became a contact
    contact = await fd.find_contact_by_email("New.Person@example.com")
    assert contact is not None and contact.name == "New Person"


async def test_contacts_create_filter_delete(fd: FreshdeskClient) -> None:
    created = await fd.create_contact(ContactCreate(name="Gone Soon", email="gone@example.com"))
    assert (await fd.find_contact_by_email("gone@example.com")) is not None
    await fd.delete_contact(created.id, hard=True)
    assert await fd.find_contact_by_email("gone@example.com") is None
    with pytest.raises(AlreadyGone):
        await fd.delete_contact(created.id + 100000)


async def test_unknown_ticket_is_rejected(fd: FreshdeskClient) -> None:
    with pytest.raises(RemoteRejected) as info:
        await fd.get_ticket(987654321)
    assert info.value.status_code == 404


async def test_bad_key_is_rejected_and_logged(sandbox: RunningSandbox) -> None:
    log = MemoryIntegrationLog()
    async with FreshdeskClient(open_freshdesk_http(sandbox.url, "wrong-key", log=log)) as client:
        with pytest.raises(RemoteRejected) as info:
            await client.list_groups()
    assert info.value.status_code == 401
    (entry,) = log.entries
    assert entry.status == 401 and entry.path.startswith("/api/v2/groups")


async def test_rate_limit_and_outage_map_to_retryable_errors(
    sandbox: RunningSandbox, fd: FreshdeskClient
) -> None:
    set_fault(sandbox, "429", calls=1)
    with pytest.raises(RateLimited) as info:
        await fd.list_groups()
    assert info.value.retry_after is not None
    with pytest.raises(CallsPaused):  # held back, unsent, until the Retry-After moment
        await fd.list_groups()
    remote_pauses.clear()
    set_fault(sandbox, "down", calls=1)
    with pytest.raises(TransportFailed):
        await fd.list_groups()
    assert await fd.list_groups()  # back
