"""Seeding Freshdesk and CRM records through the control surface."""

from __future__ import annotations

import httpx


def test_seed_freshdesk_contact_group_and_field(control: httpx.Client, fd: httpx.Client) -> None:
    contact = control.post(
        "/_sandbox/freshdesk/contacts", json={"name": "Ana", "email": "ana@example.com"}
    )
    assert contact.status_code == 201
    assert (
        fd.get("/contacts", params={"email": "ana@example.com"}).json()[0]["id"]
        == contact.json()["id"]
    )
    group = control.post("/_sandbox/freshdesk/groups", json={"name": "Tier 2"}).json()
    assert fd.get(f"/groups/{group['id']}").json()["name"] == "Tier 2"
    field = control.post(
        "/_sandbox/freshdesk/ticket_fields", json={"name": "cf_vip", "type": "custom_checkbox"}
    )
    assert field.status_code == 201
    ticket = fd.post(
        "/tickets",
        json={
            "email": "ana@example.com",
            "subject": "s",
            "description": "d",
            "custom_fields": {"cf_vip": True},
        },
    )
    assert ticket.status_code == 201
    bad = fd.post(
        "/tickets",
        json={
            "email": "ana@example.com",
            "subject": "s",
            "description": "d",
            "custom_fields": {"cf_vip": "yes"},
        },
    )
    assert bad.json()["errors"][0]["code"] == "datatype_mismatch"


def test_seed_freshdesk_refusals(control: httpx.Client) -> None:
    assert (
        control.post(
            "/_sandbox/freshdesk/contacts", json={"name": "J", "email": "jane@example.com"}
        ).status_code
        == 409
    )
    assert control.post("/_sandbox/freshdesk/contacts", json={"name": "J"}).status_code == 400
    assert (
        control.post(
            "/_sandbox/freshdesk/ticket_fields", json={"name": "vip", "type": "custom_text"}
        ).status_code
        == 400
    )
    assert (
        control.post(
            "/_sandbox/freshdesk/ticket_fields", json={"name": "cf_plan", "type": "custom_text"}
        ).status_code
        == 409
    )
    assert (
        control.post(
            "/_sandbox/freshdesk/ticket_fields", json={"name": "cf_x", "type": "custom_dropdown"}
        ).status_code
        == 400
    )
    assert (
        control.post("/_sandbox/freshdesk/tickets/999/reply", json={"body": "x"}).status_code == 404
    )


def test_agent_answers_a_ticket(control: httpx.Client, fd: httpx.Client) -> None:
    ticket = fd.post(
        "/tickets", json={"email": "jane@example.com", "subject": "s", "description": "d"}
    ).json()
    reply = control.post(
        f"/_sandbox/freshdesk/tickets/{ticket['id']}/reply", json={"body": "<p>Fixed</p>"}
    )
    assert reply.status_code == 201
    assert [c["body_text"] for c in fd.get(f"/tickets/{ticket['id']}/conversations").json()] == [
        "Fixed"
    ]
    assert (
        control.post(f"/_sandbox/freshdesk/tickets/{ticket['id']}/reply", json={}).status_code
        == 400
    )


def test_seed_crm_account_and_contact(control: httpx.Client, crm: httpx.Client) -> None:
    account = control.post("/_sandbox/crm/sales_accounts", json={"name": "Initech"}).json()
    contact = control.post(
        "/_sandbox/crm/contacts",
        json={
            "email": "pat@example.com",
            "first_name": "Pat",
            "custom_field": {"cf_plan": "pro"},
            "sales_account_id": account["id"],
        },
    )
    assert contact.status_code == 201
    [found] = crm.get(
        "/lookup", params={"q": "pat@example.com", "f": "email", "entities": "contact"}
    ).json()["contacts"]["contacts"]
    assert found["sales_account_id"] == account["id"]
    assert (
        control.post(
            "/_sandbox/crm/contacts", json={"email": "x@example.com", "sales_account_id": 1}
        ).status_code
        == 404
    )
    assert control.post("/_sandbox/crm/contacts", json={}).status_code == 400
    assert control.post("/_sandbox/crm/sales_accounts", json={}).status_code == 400


def test_seed_freshchat_user(control: httpx.Client, fc: httpx.Client) -> None:
    user = control.post(
        "/_sandbox/freshchat/users", json={"email": "u@example.com", "reference_id": "r1"}
    )
    assert user.status_code == 201
    assert (
        fc.get("/users", params={"reference_id": "r1"}).json()["users"][0]["id"]
        == user.json()["id"]
    )
    assert control.post("/_sandbox/freshchat/users", json={"nickname": "x"}).status_code == 400
