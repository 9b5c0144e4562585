"""Agent fixtures: a small knowledge base of our own, the packaged MiniLM model, an agent."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.agent import Agent
from relaydesk.db.engine import Database
from relaydesk.knowledge import Embedder, import_articles, load_embedder
from relaydesk.settings import Settings

ARTICLES: dict[str, str] = {
    "reset-your-password": """---
title: Reset your password
url: https://help.lumen.test/reset-your-password
---
# Reset your password

## Send a reset link

On the sign-in page, click **Forgot password?** and enter your email address. We send a
reset link that works for 45 minutes.

## Locked out after failed attempts

After 8 failed sign-in attempts your account is locked for 20 minutes. Wait, then try again
or reset your password.
""",
    "refunds": """---
title: Refunds
url: https://help.lumen.test/refunds
---
# Refunds

## Yearly subscriptions

Yearly subscriptions can be refunded in full within 21 days of payment. Go to
**Account > Billing > Request refund**.

## Monthly subscriptions

Monthly subscriptions are not refunded; you keep access until the end of the month.
""",
    "export-your-notes": """---
title: Export your notes
url: https://help.lumen.test/export-your-notes
---
# Export your notes

## Export everything

Open **Settings > Data > Export** and choose Markdown or PDF. The download link arrives by
email and stays valid for 48 hours.
""",
    "share-a-notebook": """---
title: Share a notebook with your team
url: https://help.lumen.test/share-a-notebook
---
# Share a notebook with your team

## Invite a teammate

Open the notebook, click **Share**, and enter your teammate's email. Each notebook can be
shared with up to 12 people on the Plus plan.

## Give someone edit rights

In the **Share** dialog, change a person's role from Viewer to Editor.
""",
    "mobile-app": """---
title: The mobile app
url: https://help.lumen.test/mobile-app
---
# The mobile app

The Lumen app runs on iOS 16 or later and Android 11 or later. Notes you open on the phone
are kept for offline reading.
""",
}


def write_kb(root: Path, articles: dict[str, str] | None = None) -> Path:
    """Write articles (slug -> Markdown) into root/kb and return the folder."""
    folder = root / "kb"
    folder.mkdir(parents=True, exist_ok=True)
    for slug, text in (articles if articles is not None else ARTICLES).items():
        (folder / f"{slug}.md").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def minilm() -> Embedder:
    """The packaged all-MiniLM-L6-v2 model, loaded once per test session."""
    return load_embedder(Settings(embedding_backend="minilm"))


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A folder with the small test knowledge base."""
    return write_kb(tmp_path)


@pytest.fixture
def agent(settings: Settings, db: Database, kb_dir: Path, minilm: Embedder) -> Agent:
    """An agent over the small knowledge base, imported into the test database."""
    report = import_articles(db, kb_dir, minilm)
    assert report.problems == []
    return Agent(settings, db, embedder=minilm)
