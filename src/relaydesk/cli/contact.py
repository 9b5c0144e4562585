"""`relaydesk contact export|delete WHO`: a contact's personal data (GDPR).

WHO is a contact id, an email address (every contact with it), or, with ``--external-id``,
the site's user id (the JWT's ``user_id``). ``delete`` removes the contacts with their
conversations, messages and sessions, leaves tombstones, and queues the deletion in
Freshchat, Freshdesk and the CRM (done by the worker of a running ``relaydesk serve``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from relaydesk.cli.common import DataDirOption, echo_json, fail, load_settings, open_db

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from relaydesk.db.models.contacts import Contact

app = typer.Typer(help="A contact's personal data: export it, or delete it (GDPR).")

WhoArgument = Annotated[str, typer.Argument(help="Contact id, or email address.")]
ExternalIdOption = Annotated[
    bool, typer.Option("--external-id", help="WHO is the site's user id (JWT user_id).")
]


def _contacts(session: Session, who: str, *, external_id: bool) -> list[Contact]:
    from relaydesk.conversations.queries import find_contacts
    from relaydesk.db.models.contacts import Contact

    who = who.strip()
    if not who:
        raise fail("WHO is empty: give a contact id or an email address")
    if external_id:
        found = find_contacts(session, external_id=who)
    elif "@" in who:
        found = find_contacts(session, email=who)
    else:
        contact = session.get(Contact, who)
        found = [contact] if contact is not None else []
    if not found:
        raise fail(f"no contact matches {who!r}")
    return found


@app.command("export")
def export(
    who: WhoArgument, external_id: ExternalIdOption = False, data_dir: DataDirOption = None
) -> None:
    """Print everything relaydesk keeps about the contact(s) as JSON."""
    from relaydesk.conversations.queries import export_contact

    db = open_db(load_settings(data_dir))
    try:
        with db.session() as session:
            found = _contacts(session, who, external_id=external_id)
            echo_json({"contacts": [export_contact(session, c.id) for c in found]})
    finally:
        db.dispose()


@app.command("delete")
def delete(
    who: WhoArgument,
    external_id: ExternalIdOption = False,
    yes: Annotated[
        bool, typer.Option("--yes", help="Really delete (it cannot be undone).")
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Delete the contact(s) with their conversations; tell Freshchat, Freshdesk and the CRM."""
    from relaydesk.conversations.actions import do_delete_contact

    db = open_db(load_settings(data_dir))
    try:
        with db.transaction() as session:
            found = _contacts(session, who, external_id=external_id)
            if not yes:
                ids = ", ".join(c.id for c in found)
                raise fail(f"this deletes {len(found)} contact(s) ({ids}) for good: add --yes")
            deleted = [(c.id, do_delete_contact(session, c).id) for c in found]
    finally:
        db.dispose()
    for contact_id, tombstone_id in deleted:
        typer.echo(f"deleted contact {contact_id} (tombstone {tombstone_id})")
    typer.echo("Freshchat, Freshdesk and the CRM are told by the worker of `relaydesk serve`.")
