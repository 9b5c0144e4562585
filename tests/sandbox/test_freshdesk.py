"""Contract tests for the sandbox's Freshdesk API v2."""

from __future__ import annotations

from typing import Any

import httpx

from relaydesk.sandbox import RunningSandbox


def _ticket(fd: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {
        "email": "jane@example.com",
        "subject": "Cannot log in",
        "description": "<p>Details</p>",
        **fields,
    }
    response = fd.post("/tickets", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _group_id(fd: httpx.Client, name: str = "Support") -> int:
    return next(g["id"] for g in fd.get("/groups").json() if g["name"] == name)


def test_wrong_or_missing_key_is_401(sandbox: RunningSandbox) -> None:
    for auth in (None, ("wrong", "X"), (sandbox.keys.freshchat_api_key, "X")):
        response = httpx.get(f"{sandbox.url}/api/v2/tickets", auth=auth)
        assert response.status_code == 401
        assert response.json() == {
            "code": "invalid_credentials",
            "message": "You have to be logged in to perform this action.",
        }


def test_any_password_works_with_the_key(sandbox: RunningSandbox) -> None:
    response = httpx.get(
        f"{sandbox.url}/api/v2/groups", auth=(sandbox.keys.freshdesk_api_key, "anything")
    )
    assert response.status_code == 200


def test_rate_limit_headers_on_every_response(fd: httpx.Client) -> None:
    first = fd.get("/groups")
    second = fd.get("/groups")
    assert first.headers["x-ratelimit-total"] == "400"
    assert (
        int(first.headers["x-ratelimit-remaining"])
        == int(second.headers["x-ratelimit-remaining"]) + 1
    )
    assert first.headers["x-ratelimit-used-currentrequest"] == "1"


def test_rate_limit_exceeded_is_429_with_retry_after(
    fd: httpx.Client, control: httpx.Client
) -> None:
    control.post("/_sandbox/ratelimits", json={"system": "freshdesk", "limit": 2, "window": 60})
    fd.get("/groups")
    fd.get("/nonexistent-but-counted")
    response = fd.get("/groups")
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.headers["x-ratelimit-remaining"] == "0"


def test_create_ticket_full(fd: httpx.Client, sandbox: RunningSandbox) -> None:
    group_id = _group_id(fd)
    response = fd.post(
        "/tickets",
        json={
            "email": "new.person@example.com",
            "name": "New Person",
            "subject": "Refund",
            "description": "<p>Transcript &amp; more</p>",
            "status": 2,
            "priority": 3,
            "source": 7,
            "group_id": group_id,
            "tags": ["ai-escalation"],
            "custom_fields": {
                "cf_plan": "pro",
                "cf_account_id": "A-1",
                "cf_seats": 5,
                "cf_region": "EU",
            },
        },
    )
    assert response.status_code == 201
    ticket = response.json()
    assert response.headers["location"] == f"{sandbox.url}/api/v2/tickets/{ticket['id']}"
    assert ticket["description_text"] == "Transcript & more"
    assert (ticket["status"], ticket["priority"], ticket["source"], ticket["group_id"]) == (
        2,
        3,
        7,
        group_id,
    )
    assert ticket["custom_fields"]["cf_seats"] == 5
    assert ticket["custom_fields"]["cf_freshchat_conversation_id"] is None
    contact = fd.get(f"/contacts/{ticket['requester_id']}").json()
    assert (contact["name"], contact["email"]) == ("New Person", "new.person@example.com")
    assert fd.get(f"/tickets/{ticket['id']}").json()["subject"] == "Refund"


def test_create_ticket_with_requester_id_and_defaults(fd: httpx.Client) -> None:
    jane = fd.get("/contacts", params={"email": "jane@example.com"}).json()[0]
    ticket = _ticket(fd, email=None, requester_id=jane["id"])
    assert ticket["requester_id"] == jane["id"]
    assert (ticket["status"], ticket["priority"], ticket["source"]) == (2, 1, 2)


def test_create_ticket_missing_fields(fd: httpx.Client) -> None:
    response = fd.post("/tickets", json={"description": "x"})
    assert response.status_code == 400
    body = response.json()
    assert body["description"] == "Validation failed"
    errors = {e["field"]: e for e in body["errors"]}
    assert errors["requester_id"]["code"] == "missing_field"
    assert (
        errors["requester_id"]["message"]
        == "Please fill at least 1 of requester_id, phone, email, twitter_id, facebook_id fields"
    )
    assert errors["subject"] == {
        "field": "subject",
        "message": "It should be a/an String",
        "code": "missing_field",
    }


def test_create_ticket_invalid_values(fd: httpx.Client) -> None:
    response = fd.post(
        "/tickets",
        json={
            "email": "not-an-email",
            "subject": "x",
            "description": "x",
            "status": 9,
            "priority": "high",
            "group_id": 123,
            "priorty": 1,
            "custom_fields": {"cf_unknown": "x", "cf_seats": 2.5, "cf_region": "Mars"},
        },
    )
    assert response.status_code == 400
    errors = {e["field"]: e["code"] for e in response.json()["errors"]}
    assert errors == {
        "email": "invalid_value",
        "status": "invalid_value",
        "priority": "datatype_mismatch",
        "group_id": "invalid_value",
        "priorty": "invalid_field",
        "cf_unknown": "invalid_field",
        "cf_seats": "datatype_mismatch",
        "cf_region": "invalid_value",
    }


def test_phone_only_requester_needs_a_name_and_long_subject_is_refused(fd: httpx.Client) -> None:
    response = fd.post(
        "/tickets", json={"phone": "+1 555 0100", "subject": "x" * 256, "description": "d"}
    )
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert errors["name"]["code"] == "missing_field"
    assert errors["subject"] == {
        "field": "subject",
        "message": "Has 256 characters, it can have maximum of 255 characters",
        "code": "invalid_size",
    }
    ok = fd.post(
        "/tickets",
        json={"phone": "+1 555 0100", "name": "Caller", "subject": "Call", "description": "d"},
    )
    assert ok.status_code == 201
    assert fd.get(f"/contacts/{ok.json()['requester_id']}").json()["phone"] == "+1 555 0100"


def test_wrong_content_type_and_bad_json(fd: httpx.Client) -> None:
    assert (
        fd.post(
            "/tickets",
            content=b"subject=x",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ).status_code
        == 415
    )
    bad = fd.post("/tickets", content=b"{oops", headers={"Content-Type": "application/json"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_json"


def test_unknown_ticket_is_an_empty_404(fd: httpx.Client) -> None:
    for path in (
        "/tickets/999",
        "/tickets/abc",
        "/tickets/999/conversations",
        "/contacts/999",
        "/groups/1",
    ):
        response = fd.get(path)
        assert response.status_code == 404, path
        assert response.content == b""
    assert fd.post("/tickets/999/notes", json={"body": "x"}).status_code == 404


def test_list_tickets_paginates_with_link_header(fd: httpx.Client) -> None:
    ids = [_ticket(fd, subject=f"t{n}")["id"] for n in range(3)]
    page1 = fd.get("/tickets", params={"per_page": 2})
    assert [t["id"] for t in page1.json()] == ids[::-1][:2]
    assert "description" not in page1.json()[0]
    link = page1.headers["link"]
    assert link.endswith('>; rel="next"')
    page2 = fd.get(link[1 : link.index(">")])
    assert [t["id"] for t in page2.json()] == [ids[0]]
    assert "link" not in page2.headers
    assert fd.get("/tickets", params={"per_page": 101}).status_code == 400
    unknown = fd.get("/tickets", params={"email": "nobody@example.com"})
    assert unknown.status_code == 400  # Freshdesk refuses a filter on an unknown contact
    assert unknown.json()["errors"][0]["message"] == "There is no contact matching the given email"


def test_update_ticket(fd: httpx.Client) -> None:
    ticket = _ticket(fd)
    response = fd.put(
        f"/tickets/{ticket['id']}", json={"status": 4, "custom_fields": {"cf_plan": "pro"}}
    )
    assert response.status_code == 200
    assert response.json()["status"] == 4
    assert response.json()["custom_fields"]["cf_plan"] == "pro"
    assert fd.put(f"/tickets/{ticket['id']}", json={"status": 1}).status_code == 400


def test_notes_and_replies(fd: httpx.Client) -> None:
    ticket = _ticket(fd)
    note = fd.post(f"/tickets/{ticket['id']}/notes", json={"body": "<b>AI summary</b>"})
    assert note.status_code == 201
    assert note.json()["private"] is True
    public = fd.post(f"/tickets/{ticket['id']}/notes", json={"body": "x", "private": False}).json()
    assert public["private"] is False
    reply = fd.post(f"/tickets/{ticket['id']}/reply", json={"body": "<p>We are on it</p>"})
    assert reply.status_code == 201
    assert reply.json()["to_emails"] == ["jane@example.com"]
    convs = fd.get(f"/tickets/{ticket['id']}/conversations").json()
    assert [c["body_text"] for c in convs] == ["AI summary", "x", "We are on it"]
    included = fd.get(f"/tickets/{ticket['id']}", params={"include": "conversations"}).json()
    assert len(included["conversations"]) == 3
    missing = fd.post(f"/tickets/{ticket['id']}/notes", json={"private": True})
    assert missing.status_code == 400
    assert missing.json()["errors"] == [
        {"field": "body", "message": "Mandatory attribute missing", "code": "missing_field"}
    ]
    assert fd.post(f"/tickets/{ticket['id']}/reply", json={}).json()["errors"][0]["field"] == "body"


def test_contacts_create_filter_search(fd: httpx.Client) -> None:
    created = fd.post(
        "/contacts", json={"name": "Kim Lee", "email": "kim@example.com", "custom_fields": {}}
    )
    assert created.status_code == 201
    contact = created.json()
    assert [c["id"] for c in fd.get("/contacts", params={"email": "KIM@example.com"}).json()] == [
        contact["id"]
    ]
    found = fd.get("/search/contacts", params={"query": "\"email:'kim@example.com'\""}).json()
    assert found["total"] == 1
    assert found["results"][0]["id"] == contact["id"]
    assert (
        fd.get("/search/contacts", params={"query": "email:'kim@example.com'"}).status_code == 400
    )


def test_contact_refusals(fd: httpx.Client) -> None:
    missing_name = fd.post("/contacts", json={"email": "a@example.com"})
    assert missing_name.status_code == 400
    assert missing_name.json()["errors"] == [
        {"field": "name", "message": "Mandatory attribute missing", "code": "missing_field"}
    ]
    no_ids = fd.post("/contacts", json={"name": "A"})
    assert no_ids.json()["errors"] == [
        {
            "field": "email",
            "message": "Please fill at least 1 of email, mobile, phone, twitter_id fields",
            "code": "missing_field",
        }
    ]
    duplicate = fd.post("/contacts", json={"name": "J", "email": "jane@example.com"})
    assert duplicate.status_code == 409
    assert duplicate.json()["errors"][0]["code"] == "duplicate_value"


def test_soft_and_hard_delete(fd: httpx.Client) -> None:
    contact = fd.post("/contacts", json={"name": "Gone", "email": "gone@example.com"}).json()
    ticket = _ticket(fd, email=None, requester_id=contact["id"])
    assert fd.delete(f"/contacts/{contact['id']}/hard_delete").status_code == 400
    assert fd.delete(f"/contacts/{contact['id']}").status_code == 204
    assert fd.get("/contacts", params={"email": "gone@example.com"}).json() == []
    assert [c["id"] for c in fd.get("/contacts", params={"state": "deleted"}).json()] == [
        contact["id"]
    ]
    assert fd.delete(f"/contacts/{contact['id']}/hard_delete").status_code == 204
    assert fd.get(f"/contacts/{contact['id']}").status_code == 404
    assert fd.get(f"/tickets/{ticket['id']}").status_code == 404
    assert fd.delete(f"/contacts/{contact['id']}/hard_delete?force=true").status_code == 404


def test_hard_delete_with_force_skips_soft_delete(fd: httpx.Client) -> None:
    contact = fd.post("/contacts", json={"name": "Now", "email": "now@example.com"}).json()
    assert (
        fd.delete(f"/contacts/{contact['id']}/hard_delete", params={"force": "true"}).status_code
        == 204
    )
    assert fd.get(f"/contacts/{contact['id']}").status_code == 404


def test_groups_agents_and_ticket_fields(fd: httpx.Client) -> None:
    groups = fd.get("/groups").json()
    assert {g["name"] for g in groups} == {"Support", "Billing"}
    assert fd.get(f"/groups/{groups[0]['id']}").json()["name"] == groups[0]["name"]
    assert fd.get("/agents/me").status_code == 200
    fields = {f["name"]: f for f in fd.get("/ticket_fields").json()}
    assert fields["cf_plan"]["type"] == "custom_text"
    assert fields["cf_seats"]["type"] == "custom_number"
    assert fields["status"]["default"] is True
