"""CRM: look a contact up by email (name, company), and the connect-time check."""

from __future__ import annotations

import pytest

from relaydesk.connectors.crm.client import CrmClient, open_crm_http
from relaydesk.connectors.crm.sync import check_crm_credentials, crm_profile
from relaydesk.connectors.freshchat.account import ConnectionCheckFailed
from relaydesk.connectors.http import MemoryIntegrationLog
from relaydesk.sandbox import RunningSandbox


async def test_known_email_gives_name_and_company(sandbox: RunningSandbox) -> None:
    log = MemoryIntegrationLog()
    async with CrmClient(open_crm_http(sandbox.url, sandbox.keys.crm_api_key, log=log)) as crm:
        profile = await crm_profile(crm, "JANE@example.com")
        unknown = await crm_profile(crm, "nobody@example.com")
        no_company = await crm_profile(crm, "omar@example.com")
    assert profile is not None
    assert (profile.name, profile.company, profile.job_title) == (
        "Jane Doe",
        "Acme Inc",
        "Head of Operations",
    )
    assert unknown is None
    assert no_company is not None and no_company.company is None
    assert all(e.system == "crm" for e in log.entries)
    assert sandbox.keys.crm_api_key not in repr(log.entries)


async def test_check_reports_a_bad_key_and_a_wrong_address(sandbox: RunningSandbox) -> None:
    await check_crm_credentials(sandbox.url, sandbox.keys.crm_api_key)
    with pytest.raises(ConnectionCheckFailed) as bad:
        await check_crm_credentials(sandbox.url, "wrong")
    assert bad.value.reason == "bad_key"
    with pytest.raises(ConnectionCheckFailed) as wrong:
        await check_crm_credentials(sandbox.url + "/elsewhere", sandbox.keys.crm_api_key)
    assert wrong.value.reason == "wrong_domain"


def _crm_answering(routes: dict[str, object]) -> CrmClient:
    """A CRM client whose remote answers routes[path] (shapes the sandbox never sends)."""
    import httpx

    def answer(request: httpx.Request) -> httpx.Response:
        for path, body in routes.items():
            if request.url.path.endswith(path):
                return httpx.Response(200, json=body)
        return httpx.Response(404, json={"message": "not found"})

    return CrmClient(open_crm_http("http://crm.test", "k", transport=httpx.MockTransport(answer)))


async def test_emails_given_as_plain_strings_still_match() -> None:
    contact = {"id": 7, "first_name": "Jane", "emails": ["Jane@Example.com"]}
    async with _crm_answering(
        {"/lookup": {"contacts": {"contacts": [contact]}}, "/contacts/7": {"contact": contact}}
    ) as crm:
        profile = await crm_profile(crm, "jane@example.com")
    assert profile is not None and profile.first_name == "Jane"


async def test_an_unexpected_crm_answer_never_blocks_a_handoff() -> None:
    from relaydesk.connectors.connections import FreshchatOptions
    from relaydesk.connectors.freshchat.client import FreshchatClient, open_freshchat_http
    from relaydesk.connectors.freshchat.runtime import FreshchatRuntime
    from relaydesk.connectors.freshchat.users import lookup_crm

    odd = {"contacts": {"contacts": [{"email": "jane@example.com"}]}}  # no id
    async with (
        _crm_answering({"/lookup": odd}) as crm,
        FreshchatClient(open_freshchat_http("http://127.0.0.1:9", "k")) as fc,
    ):
        rt = FreshchatRuntime(client=fc, options=FreshchatOptions(), crm=crm)
        assert await lookup_crm(rt, "jane@example.com") is None
