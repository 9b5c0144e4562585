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
