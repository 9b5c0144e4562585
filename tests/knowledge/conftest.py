"""A small knowledge base written by the tests themselves (not the eval set's articles)."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTICLES: dict[str, str] = {
    "brew-coffee.md": """---
title: Brew coffee with the Aeromatic
url: https://help.example.test/brew-coffee
---

# Brew coffee with the Aeromatic

The Aeromatic brews one cup at a time.

## Fill the tank

Pour up to 1.2 litres of cold water into the tank at the back.

## Choose a strength

Press **Strength > Bold** for a stronger cup. The default is Medium.
""",
    "descale.md": """---
title: Descale your machine
url: https://help.example.test/descale
---

# Descale your machine

Scale builds up when the water is hard. Descale every 3 months.

## Run the descaling cycle

1. Empty the drip tray.
2. Fill the tank with descaler and water, 1 part to 4.
3. Hold **Clean** for 5 seconds. The cycle takes 25 minutes.
""",
    "warranty.md": """---
title: Warranty and repairs
---

# Warranty and repairs

Every Aeromatic has a 2-year warranty that covers defects, not damage from drops or limescale.

## Send a machine for repair

Open **Account > Orders**, choose the order and click **Request repair**. We send a prepaid
shipping label within 2 working days.
""",
    "guides/order-capsules.html": """<!doctype html>
<html><head><title>Order capsules | Help</title>
<link rel="canonical" href="https://help.example.test/order-capsules"></head>
<body><nav>Home | Help</nav>
<h1>Order capsules</h1>
<p>Capsules come in boxes of 50.</p>
<h2>Subscription</h2>
<p>A capsule subscription ships a box every 4 weeks and saves 10%.</p>
<ul><li>Pause it from <b>Account &gt; Subscription</b>.</li><li>Skip one delivery at a time.</li></ul>
</body></html>
""",
}


def write_kb(root: Path, articles: dict[str, str] | None = None) -> Path:
    """Write the articles under root and return root."""
    for name, text in (articles or ARTICLES).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A folder holding the small test knowledge base."""
    return write_kb(tmp_path / "kb")
