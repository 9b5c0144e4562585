"""The messenger end to end with the real agent over a small knowledge base the test writes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from relaydesk.agent import build_agent
from relaydesk.app import create_app
from relaydesk.db.engine import Database
from relaydesk.knowledge import import_articles, load_embedder
from relaydesk.settings import Settings
from relaydesk.workflows.actions import do_install_default_workflow
from tests.messenger.conftest import auth, new_visitor

ARTICLES = {
    "reset-your-password": """---
title: Reset your password
url: https://help.example.com/reset-your-password
---
# Reset your password

If you forgot your password, open the sign-in page and choose **Forgot password**. Enter the
email address of your account and we send you a reset link. The link works for 30 minutes.
""",
    "shipping-times": """---
title: Shipping times
url: https://help.example.com/shipping-times
---
# Shipping times

Orders placed before 2 pm ship the same working day. Standard delivery takes 2 to 4 working
days; express delivery arrives the next working day.
""",
    "refund-policy": """---
title: Refund policy
url: https://help.example.com/refund-policy
---
# Refund policy

You can return any unused item within 30 days of delivery for a full refund. Refunds reach
your card within 5 working days after the return arrives.
""",
}


@pytest.fixture(scope="session")
def agent_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose cache the session's agents share."""
    return tmp_path_factory.mktemp("agent-data")


@pytest.mark.postgres
async def test_answer_with_source_then_handoff_offer(
    tmp_path: Path, settings: Settings, db: Database, agent_data_dir: Path
) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    for slug, text in ARTICLES.items():
        (kb / f"{slug}.md").write_text(text)
    app_settings = settings.model_copy(update={"worker_enabled": False})
    import_articles(db, kb, load_embedder(app_settings))
    with db.transaction() as session:
        do_install_default_workflow(session)
    app = create_app(app_settings, db=db)
    # The real agent, its intent-exemplar cache shared by the session (computing it is slow).
    shared = app_settings.model_copy(update={"data_dir": agent_data_dir})
    app.state.messenger.engine.responder = build_agent(shared, db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        token = (await new_visitor(client))["visitor_token"]
        conv = (await client.post("/messenger/v1/conversations", headers=auth(token))).json()
        url = f"/messenger/v1/conversations/{conv['id']}/messages"
        step = await client.post(
            url, json={"text": "How do I reset my password?"}, headers=auth(token)
        )
        assert step.status_code == 200, step.text
        _mine, answer, confirm = step.json()["messages"]
        assert answer["author"] == "ai"
        assert answer["sources"][0]["slug"] == "reset-your-password"
        assert answer["sources"][0]["url"] == "https://help.example.com/reset-your-password"
        assert "Forgot password" in answer["text"]
        assert [b["id"] for b in confirm["buttons"]] == ["yes", "no"]
        human = await client.post(
            url,
            json={"text": "This isn't helping, I want to talk to a real person"},
            headers=auth(token),
        )
        offer = human.json()["messages"][-1]
        assert [b["label"] for b in offer["buttons"]] == ["Create a ticket", "Human agent"]
