"""Two requests for one conversation at the same moment (PostgreSQL: no fair gate serialises them)."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from relaydesk.db.engine import Database
from tests.messenger.conftest import PAGE, auth, running_server, start_behind_row_lock

V1 = "/messenger/v1"


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("first", "second"),
    [({"button_id": "no"}, {"button_id": "no"}), ({"button_id": "no"}, {"button_id": "yes"})],
)
def test_two_presses_at_once_run_one_step(
    app: FastAPI, db: Database, first: dict[str, Any], second: dict[str, Any]
) -> None:
    if db.is_sqlite:
        pytest.skip("on SQLite the fair gate runs the messenger's transactions one at a time")
    with running_server(app) as base, httpx.Client(base_url=base) as http:
        token = http.post(f"{V1}/sessions", json={"page_url": PAGE}).json()["visitor_token"]
        conv = http.post(f"{V1}/conversations", headers=auth(token)).json()
        url = f"{V1}/conversations/{conv['id']}/messages"
        asked = http.post(url, json={"text": "refunds?"}, headers=auth(token)).json()
        assert [b["id"] for b in asked["messages"][-1]["buttons"]] == ["yes", "no"]
        answers: list[httpx.Response] = []

        def press(body: dict[str, Any]) -> None:
            with httpx.Client(base_url=base, timeout=30) as own:
                answers.append(own.post(url, json=body, headers=auth(token)))

        threads = [threading.Thread(target=press, args=(b,)) for b in (first, second)]
        start_behind_row_lock(db, conv["id"], threads)
        for thread in threads:
            thread.join(30)
        # One press ran its step; the other found its button gone (or, after "yes", the
        # conversation resolved), and stored nothing.
        winner, loser = sorted(answers, key=lambda a: a.status_code)
        assert winner.status_code == 200 and loser.status_code != 200, [a.text for a in answers]
        assert (loser.status_code, loser.json()["code"]) in {
            (400, "unknown_button"),
            (409, "conversation_closed"),
        }
        got = http.get(f"{V1}/conversations/{conv['id']}", headers=auth(token)).json()
        after_ask = [m["id"] for m in got["messages"]][len(conv["messages"]) + 3 :]
        assert after_ask == [m["id"] for m in winner.json()["messages"]]
