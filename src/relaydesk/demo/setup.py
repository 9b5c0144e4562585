"""Prepare a data dir for the demo: knowledge, workflow, and the sandbox connected as an admin would.

``prepare_demo`` imports the sample knowledge base (or another folder), installs the default
workflow when none is set, then connects Freshchat (with the CRM) and Freshdesk to the
sandbox through the same functions the CLI and admin API use — credentials checked against
the API, the webhook public key stored, the AI agent, escalation group and topic chosen from
the lists Freshchat returns — and finally registers relaydesk's webhook URL in the sandbox.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

import httpx

from relaydesk.connectors.connections import update_options
from relaydesk.connectors.freshchat.setup import (
    configure_freshchat,
    connect_freshchat,
    load_catalog,
)
from relaydesk.connectors.freshdesk.config import FreshdeskConfig
from relaydesk.connectors.freshdesk.connect import check_credentials, store_connection
from relaydesk.connectors.http import DatabaseIntegrationLog
from relaydesk.db.engine import Database
from relaydesk.errors import RelaydeskError
from relaydesk.knowledge import ImportReport, import_articles, load_embedder
from relaydesk.security.secrets import load_secret_box
from relaydesk.settings import Settings
from relaydesk.workflows.actions import do_install_default_workflow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SandboxAccount:
    """Where the sandbox listens and the credentials it printed."""

    url: str
    freshchat_api_key: str
    freshdesk_api_key: str
    crm_api_key: str
    webhook_public_key_pem: str


@dataclass(frozen=True)
class DemoSetup:
    """What prepare_demo did."""

    kb: ImportReport
    workflow_installed: bool
    ai_agent: str
    group: str
    topic: str


class DemoSetupFailed(RelaydeskError):
    """The demo could not connect relaydesk to the sandbox."""


def _pick(items: list[tuple[str, str]], wanted: str, what: str) -> str:
    for item_id, name in items:
        if name.strip().lower() == wanted.lower():
            return item_id
    if items:
        return items[0][0]
    raise DemoSetupFailed(f"the sandbox has no {what} to configure")


async def connect_to_sandbox(
    db: Database, settings: Settings, account: SandboxAccount
) -> tuple[str, str, str]:
    """Connect and configure Freshchat, the CRM and Freshdesk; return agent/group/topic names."""
    box = load_secret_box(settings)
    integration_log = DatabaseIntegrationLog(db)
    try:
        await connect_freshchat(
            db,
            box,
            base_url=account.url,
            api_key=account.freshchat_api_key,
            webhook_public_key=account.webhook_public_key_pem,
            crm_base_url=account.url,
            crm_api_key=account.crm_api_key,
            log=integration_log,
        )
        catalog = await load_catalog(db, box, log=integration_log)
        agents = [(a.id, a.name) for a in catalog.agents]
        groups = [(g.id, g.name) for g in catalog.groups]
        topics = [(c.id, c.name) for c in catalog.channels]
        ai_agent = _pick(agents, "AI agent", "agent")
        group = _pick(groups, "Support", "group")
        topic = _pick(topics, "Support", "topic")
        await configure_freshchat(
            db,
            box,
            {"ai_agent_id": ai_agent, "escalation_group_id": group, "channel_id": topic},
            log=integration_log,
        )
        report = await check_credentials(
            account.url, account.freshdesk_api_key, log=integration_log
        )
        with db.transaction() as session:
            conn = store_connection(
                session, box, base_url=account.url, api_key=account.freshdesk_api_key
            )
            config = FreshdeskConfig.from_options(conn.options)
            if config.group_id is None and report.groups:
                support = [g.id for g in report.groups if g.name.lower() == "support"]
                config.group_id = support[0] if support else report.groups[0].id
                update_options(session, "freshdesk", config.to_options())
    finally:
        integration_log.close()
    names = dict(agents), dict(groups), dict(topics)
    return names[0][ai_agent], names[1][group], names[2][topic]


def prepare_demo(
    db: Database, settings: Settings, *, kb_path: Path, account: SandboxAccount, app_url: str
) -> DemoSetup:
    """Import the knowledge base, install the workflow, connect the sandbox, register webhooks."""
    report = import_articles(db, kb_path, load_embedder(settings))
    with db.transaction() as session:
        installed = do_install_default_workflow(session) is not None
    ai_agent, group, topic = asyncio.run(connect_to_sandbox(db, settings, account))
    response = httpx.post(
        f"{account.url}/_sandbox/freshchat/webhook",
        json={"url": f"{app_url}/webhooks/freshchat"},
        timeout=10,
    )
    if response.status_code >= 300:
        raise DemoSetupFailed(f"the sandbox refused the webhook URL: {response.text}")
    return DemoSetup(report, installed, ai_agent, group, topic)
