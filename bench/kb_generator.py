"""Generate a synthetic help-center knowledge base of N Markdown articles (deterministic).

Each article documents one (area, feature) pair of a fictional product, with three or four
sections that carry the kind of facts real articles have: menu paths, limits, durations,
plan names and numbered steps. Titles never repeat, and each article's question names its
verb, area and feature (the title), so every question has exactly one right article up to
len(VERBS) * len(AREAS) * len(FEATURES) = 21,280 articles. (Questions without the verb were
shared by 4,867 of 10,000 articles, which capped "answered from its own article" near 78%.)

    python bench/kb_generator.py OUT_DIR --articles 1000
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

AREAS = """billing invoices payments subscriptions seats workspaces projects tasks boards calendars
reports dashboards exports imports integrations notifications security passwords sessions devices
permissions roles guests teams templates automations forms files attachments comments mentions
labels tags filters search archives trash backups audit webhooks api tokens domains branding
themes languages timezones mobile desktop offline sync email chat inbox tickets contacts
companies deals pipelines quotes orders shipping returns refunds coupons taxes currencies
payroll timesheets approvals budgets expenses assets inventory warehouses suppliers
""".split()

FEATURES = """settings limits history sharing ownership retention reminders schedules rules
previews versions exports imports alerts summaries digests shortcuts defaults colours icons
layouts columns fields statuses priorities owners deadlines recurrence dependencies estimates
quotas renewals trials upgrades downgrades cancellations transfers merges duplicates restores
""".split()

VERBS = ["Set up", "Change", "Manage", "Turn off", "Understand", "Troubleshoot", "Customize"]
PLANS = ["Free", "Starter", "Team", "Business", "Enterprise"]


@dataclass(frozen=True)
class Article:
    """A generated article: its slug, title, Markdown and one question it answers, with a fact."""

    slug: str
    title: str
    markdown: str
    question: str
    fact: str


def _article(index: int, rng: random.Random) -> Article:
    area = AREAS[index % len(AREAS)]
    feature = FEATURES[(index // len(AREAS)) % len(FEATURES)]
    verb = VERBS[(index // (len(AREAS) * len(FEATURES))) % len(VERBS)]
    round_ = index // (len(AREAS) * len(FEATURES) * len(VERBS))
    suffix = f" (part {round_ + 1})" if round_ else ""
    title = f"{verb} {area} {feature}{suffix}"
    slug = f"{verb.lower().replace(' ', '-')}-{area}-{feature}" + (
        f"-{round_ + 1}" if round_ else ""
    )
    days = rng.choice([7, 14, 30, 45, 60, 90])
    limit = rng.choice([5, 10, 20, 50, 100, 250, 1000])
    plan = rng.choice(PLANS[1:])
    menu = f"Settings > {area.title()} > {feature.title()}"
    steps = "\n".join(
        f"{n}. {step}"
        for n, step in enumerate(
            [
                f"Go to **{menu}**.",
                f"Click **Edit {feature}**.",
                "Review the changes and click **Save**.",
            ],
            start=1,
        )
    )
    markdown = f"""---
title: {title}
url: https://help.example.test/articles/{slug}
---

# {title}

Use {area} {feature} to control how your workspace handles {area}. Owners and Admins can
change them; other members see them read-only.

## How to change {area} {feature}

{steps}

Changes apply to the whole workspace within a few minutes.

## Limits

On the {plan} plan and above you can keep up to {limit} {area} {feature}. On lower plans the
limit is {max(1, limit // 10)}. Older {area} {feature} are kept for {days} days, then removed.

## Troubleshooting

If {area} {feature} don't appear, check that you are an Admin and that your plan includes
them. Signing out and in again refreshes your permissions.
"""
    # The verb is what tells this article from its twins: past len(AREAS) * len(FEATURES)
    # (3,040) articles the same area and feature come back under the next verb, with the same
    # sections, so a question without it would fit up to len(VERBS) articles equally well.
    question = f"{verb.lower()} {area} {feature}: how many can I keep on the {plan} plan"
    return Article(slug, title, markdown, question, str(limit))


def generate(count: int, *, seed: int = 7) -> list[Article]:
    """Return count distinct articles, the same for the same seed."""
    rng = random.Random(seed)
    return [_article(i, rng) for i in range(count)]


def write_kb(folder: Path, count: int, *, seed: int = 7) -> list[Article]:
    """Write count articles into folder (created) and return them."""
    folder.mkdir(parents=True, exist_ok=True)
    articles = generate(count, seed=seed)
    for article in articles:
        (folder / f"{article.slug}.md").write_text(article.markdown, encoding="utf-8")
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_kb(args.out, args.articles, seed=args.seed)
    print(f"wrote {args.articles} articles to {args.out}")


if __name__ == "__main__":
    main()
