"""Contract tests for the sandbox's Freshworks CRM API."""

from __future__ import annotations

import httpx

from relaydesk.sandbox import RunningSandbox


def test_wrong_key_is_401_with_login_failed(sandbox: RunningSandbox) -> None:
    for headers in (
        {},
        {"Authorization": "Token token=nope"},
        {"Authorization": f"Bearer {sandbox.keys.crm_api_key}"},
    ):
        response = httpx.get(f"{sandbox.url}/crm/sales/api/contacts/filters", headers=headers)
        assert response.status_code == 401
        assert response.json() == {"login": "failed", "message": "Incorrect or expired API key"}


def test_lookup_contact_by_email_with_linked_account(crm: httpx.Client) -> None:
    body = crm.get(
        "/lookup", params={"q": "jane@example.com", "f": "email", "entities": "contact"}
    ).json()
    [jane] = body["contacts"]["contacts"]
    assert jane["custom_field"]["cf_plan"] == "Enterprise"
    assert jane["emails"][0] == {
        "id": None,
        "value": "jane@example.com",
        "is_primary": True,
        "label": None,
    }
    detail = crm.get(f"/contacts/{jane['id']}", params={"include": "sales_accounts"}).json()
    assert detail["contact"]["sales_account_id"] == detail["sales_accounts"][0]["id"]
    assert detail["sales_accounts"][0]["name"] == "Acme Inc"
    assert crm.get(
        "/lookup", params={"q": "nobody@example.com", "f": "email", "entities": "contact"}
    ).json() == {"contacts": {"contacts": []}}


def test_lookup_and_search_refusals(crm: httpx.Client) -> None:
    assert crm.get("/lookup", params={"q": "x"}).status_code == 400
    assert (
        crm.get("/lookup", params={"q": "x", "f": "email", "entities": "deal"}).status_code == 400
    )
    assert crm.get("/search", params={"q": "j"}).status_code == 400


def test_search_finds_contacts_and_accounts(crm: httpx.Client) -> None:
    hits = crm.get("/search", params={"q": "acme", "include": "contact,sales_account"}).json()
    assert [h["type"] for h in hits] == ["sales_account"]
    hits = crm.get("/search", params={"q": "omar", "include": "contact"}).json()
    assert hits[0]["email"] == "omar@example.com"


def test_create_update_delete_contact(crm: httpx.Client) -> None:
    account = crm.post("/sales_accounts", json={"sales_account": {"name": "Globex"}}).json()[
        "sales_account"
    ]
    created = crm.post(
        "/contacts",
        json={
            "contact": {
                "first_name": "Li",
                "email": "li@example.com",
                "custom_field": {"cf_plan": "pro"},
                "sales_accounts": [{"id": account["id"], "is_primary": True}],
            }
        },
    )
    assert created.status_code == 200
    contact = created.json()["contact"]
    assert contact["display_name"] == "Li"
    assert contact["sales_account_id"] == account["id"]
    updated = crm.put(
        f"/contacts/{contact['id']}",
        json={"contact": {"last_name": "Wei", "custom_field": {"cf_seats": 3}}},
    ).json()["contact"]
    assert updated["display_name"] == "Li Wei"
    assert updated["custom_field"] == {"cf_plan": "pro", "cf_seats": 3}
    assert crm.delete(f"/contacts/{contact['id']}").status_code == 200
    gone = crm.get(f"/contacts/{contact['id']}")
    assert gone.status_code == 404
    assert gone.json() == {"errors": {"code": 404, "message": ["Contact does not exist"]}}


def test_create_contact_refusals(crm: httpx.Client) -> None:
    assert crm.post("/contacts", json={"first_name": "No wrapper"}).status_code == 400
    no_email = crm.post("/contacts", json={"contact": {"first_name": "A"}})
    assert no_email.status_code == 400
    assert no_email.json()["errors"]["code"] == 400
    bad_link = crm.post(
        "/contacts",
        json={
            "contact": {"email": "a@example.com", "sales_accounts": [{"id": 1, "is_primary": True}]}
        },
    )
    assert bad_link.status_code == 400
    assert crm.post("/sales_accounts", json={"sales_account": {}}).status_code == 400
    assert crm.get("/sales_accounts/1").status_code == 404
    assert crm.get("/contacts/abc").status_code == 404


def test_contact_views_and_forget(crm: httpx.Client) -> None:
    [view] = crm.get("/contacts/filters").json()["filters"]
    listed = crm.get(f"/contacts/view/{view['id']}").json()
    assert listed["meta"]["total"] == 2
    omar = next(c for c in listed["contacts"] if c["first_name"] == "Omar")
    assert crm.delete(f"/contacts/{omar['id']}/forget").status_code == 200
    assert crm.get(f"/contacts/{omar['id']}").status_code == 404
