"""`relaydesk contact export|delete WHO`: a contact's personal data from the command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from relaydesk.cli import app
from relaydesk.conversations.actions import (
    do_append_message,
    do_create_contact,
    do_start_conversation,
)
from relaydesk.conversations.queries import find_contacts
from relaydesk.db.engine import Database
from relaydesk.settings import Settings

pytestmark = pytest.mark.postgres

runner = CliRunner()


def _run(settings: Settings, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        [*args, "--data-dir", str(settings.data_dir)],
        env={"RELAYDESK_DATABASE_URL": settings.resolved_database_url},
    )
    return result.exit_code, result.output


def _contact_with_a_conversation(db: Database, email: str, external_id: str) -> str:
    with db.transaction() as session:
        contact = do_create_contact(session, email=email, external_id=external_id, verified=True)
        conversation = do_start_conversation(session, contact)
        do_append_message(session, conversation, author="visitor", text="where is my parcel")
        return contact.id


def test_export_by_email_id_or_external_id(settings: Settings, db: Database) -> None:
    contact_id = _contact_with_a_conversation(db, "ana@example.com", "u-1")
    for who in (["ana@example.com"], [contact_id], ["u-1", "--external-id"]):
        code, output = _run(settings, "contact", "export", *who)
        assert code == 0, output
        [exported] = json.loads(output)["contacts"]
        assert exported["contact"]["id"] == contact_id
        assert exported["conversations"][0]["messages"][0]["text"] == "where is my parcel"


def test_export_of_nobody_fails_clearly(settings: Settings, db: Database) -> None:
    code, output = _run(settings, "contact", "export", "nobody@example.com")
    assert code == 1 and "no contact matches 'nobody@example.com'" in output
    code, output = _run(settings, "contact", "export", "  ")
    assert code == 1 and "WHO is empty" in output


def test_delete_asks_for_yes_then_deletes(settings: Settings, db: Database) -> None:
    contact_id = _contact_with_a_conversation(db, "bo@example.com", "u-2")
    code, output = _run(settings, "contact", "delete", "bo@example.com")
    assert code == 1 and "add --yes" in output and contact_id in output
    with db.session() as session:
        assert [c.id for c in find_contacts(session, email="bo@example.com")] == [contact_id]
    code, output = _run(settings, "contact", "delete", "bo@example.com", "--yes")
    assert code == 0, output
    assert f"deleted contact {contact_id}" in output
    with db.session() as session:
        assert find_contacts(session, email="bo@example.com") == []
    code, output = _run(settings, "contact", "export", contact_id)
    assert code == 1 and "no contact matches" in output
