"""Spell out the shorthand of chat messages ("forgot pw", "acct locked", "notifs off").

Customers type in a chat widget the way they text; help-center articles spell words out. A
word the articles never use costs a question its answer (``decide.py``), and the embedding
model reads "pw" as noise, so an English message's common chat abbreviations are written
out before it is searched. The table is generic texting shorthand, not any product's
vocabulary; ambiguous forms ("hr": hour or human resources, "min": minute or minimum, "inv":
invoice or inventory, "sub") are left alone.
"""

from __future__ import annotations

import re

SHORTHAND: dict[str, str] = {
    "pw": "password",
    "pwd": "password",
    "passwd": "password",
    "acct": "account",
    "accts": "accounts",
    "msg": "message",
    "msgs": "messages",
    "notif": "notification",
    "notifs": "notifications",
    "pmt": "payment",
    "pmts": "payments",
    "txn": "transaction",
    "txns": "transactions",
    "amt": "amount",
    "qty": "quantity",
    "addr": "address",
    "mgr": "manager",
    "dept": "department",
    "yr": "year",
    "yrs": "years",
    "wk": "week",
    "wks": "weeks",
    "tmrw": "tomorrow",
    "b4": "before",
    "w/o": "without",
    "w/": "with",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "u": "you",
    "ur": "your",
    "asap": "as soon as possible",
    "approx": "approximately",
    "pic": "picture",
    "pics": "pictures",
}

_TOKEN = re.compile(
    r"(?<![\w/])("
    + "|".join(re.escape(k) for k in sorted(SHORTHAND, key=len, reverse=True))
    + r")(?![\w/]|\.\w)",
    re.IGNORECASE,
)


def expand_shorthand(text: str) -> str:
    """Return text with its chat abbreviations spelt out ("forgot pw" -> "forgot password")."""
    return _TOKEN.sub(lambda m: SHORTHAND[m.group(1).lower()], text)
