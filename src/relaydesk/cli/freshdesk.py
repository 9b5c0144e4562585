"""`relaydesk connect freshdesk` and `relaydesk configure freshdesk`.

Both work on the data dir directly. ``connect`` checks the credentials against Freshdesk
(unless ``--no-check``) and stores them with the key encrypted; ``configure`` sets the group,
priority, status, source, tags and field mapping of new tickets, validated against the
account's own groups and ticket fields.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError

from relaydesk.cli.common import DataDirOption, echo_json, fail, load_settings, open_db
from relaydesk.errors import RelaydeskError

# The connector's modules (httpx, the connections store) load inside each command, so that
# the other commands start without them.
if TYPE_CHECKING:
    from relaydesk.connectors.freshdesk.schemas import Group, TicketField
    from relaydesk.connectors.http import IntegrationLog


def connect_freshdesk(
    base_url: Annotated[
        str,
        typer.Option(
            "--base-url", help="Freshdesk domain or URL, e.g. https://acme.freshdesk.com."
        ),
    ],
    api_key: Annotated[str, typer.Option("--api-key", help="The agent's Freshdesk API key.")],
    no_check: Annotated[
        bool, typer.Option("--no-check", help="Store without checking against Freshdesk.")
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Store the Freshdesk connection (key encrypted), after checking it against the API."""
    from relaydesk.connectors.freshdesk.connect import check_credentials, store_connection
    from relaydesk.connectors.http import DatabaseIntegrationLog
    from relaydesk.security.secrets import load_secret_box

    settings = load_settings(data_dir)
    summary: dict[str, Any] | None = None
    db = open_db(settings)
    log = DatabaseIntegrationLog(db)
    try:
        if not no_check:
            report = asyncio.run(check_credentials(base_url, api_key, log=log))
            summary = report.summary()
        with db.transaction() as session:
            conn = store_connection(
                session, load_secret_box(settings), base_url=base_url, api_key=api_key
            )
    except RelaydeskError as exc:
        raise fail(f"freshdesk not connected: {exc.message}") from exc
    finally:
        log.close()
        db.dispose()
    if summary is None:
        typer.echo(f"freshdesk connected at {conn.base_url} (not checked)")
    else:
        typer.echo(
            f"freshdesk connected at {conn.base_url}: {summary['groups']} groups, "
            f"{summary['ticket_fields']} ticket fields "
            f"(custom: {', '.join(summary['custom_fields']) or 'none'})"
        )


def _parse_pairs(values: list[str], option: str) -> list[tuple[str, str]]:
    pairs = []
    for raw in values:
        left, sep, right = raw.partition("=")
        if not sep or not left.strip() or not right.strip():
            raise fail(f"{option} {raw!r}: write it as NAME=VALUE")
        pairs.append((left.strip(), right.strip()))
    return pairs


async def _fetch_lists(conn: Any, log: IntegrationLog) -> tuple[list[Group], list[TicketField]]:
    from relaydesk.connectors.errors import ConnectorError
    from relaydesk.connectors.freshdesk.connect import client_for, explain_failure

    async with client_for(conn, log=log) as client:
        try:
            return await client.list_groups(), await client.list_ticket_fields()
        except ConnectorError as exc:
            raise fail(explain_failure(exc, conn.base_url)) from exc


def _print_lists(groups: list[Group], fields: list[TicketField], *, json_out: bool) -> None:
    from relaydesk.connectors.freshdesk.config import choice_lists
    from relaydesk.connectors.freshdesk.mapping import MAPPABLE_DEFAULTS

    choices = choice_lists(fields)
    if json_out:
        echo_json(
            {
                "groups": [{"id": g.id, "name": g.name} for g in groups],
                "ticket_fields": [
                    {"name": f.name, "label": f.label, "type": f.type, "choices": f.choices}
                    for f in fields
                    if f.custom or f.name in MAPPABLE_DEFAULTS
                ],
                **{k: {str(v): label for v, label in c.items()} for k, c in choices.items()},
            }
        )
        return
    typer.echo("groups (--group):")
    for g in groups:
        typer.echo(f"  {g.id}  {g.name}")
    for name, values in choices.items():
        shown = ", ".join(f"{v} {label}" for v, label in sorted(values.items()))
        typer.echo(f"{name} (--{name}): {shown}")
    typer.echo("fields you can map (--map ATTRIBUTE=FIELD, --set FIELD=VALUE):")
    for f in fields:
        if f.custom or f.name in MAPPABLE_DEFAULTS:
            extra = f" one of {f.choices}" if f.choices else ""
            typer.echo(f"  {f.name}  ({f.type}){extra}")


def configure_freshdesk(
    group: Annotated[
        int | None, typer.Option("--group", help="Group id new tickets go to.")
    ] = None,
    priority: Annotated[int | None, typer.Option("--priority", help="1 Low … 4 Urgent.")] = None,
    status: Annotated[int | None, typer.Option("--status", help="2 Open, 3 Pending…")] = None,
    source: Annotated[int | None, typer.Option("--source", help="7 Chat, 2 Portal…")] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Tag of new tickets (repeat; replaces).")
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="attribute=cf_field: a contact attribute into a ticket field (repeat)."
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="cf_field=value: a constant ticket field value (repeat)."),
    ] = None,
    no_check: Annotated[
        bool, typer.Option("--no-check", help="Skip validation against Freshdesk's lists.")
    ] = False,
    list_choices: Annotated[
        bool,
        typer.Option("--list", help="List groups, ticket fields and choices; change nothing."),
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Set how tickets are created: group, priority, status, source, tags, field mapping.

    Options left out keep their current value; --map/--set together replace the mapping.
    """
    from relaydesk.connectors.connections import update_options
    from relaydesk.connectors.freshdesk.config import FreshdeskConfig, validate_config
    from relaydesk.connectors.freshdesk.connect import require_freshdesk
    from relaydesk.connectors.http import DatabaseIntegrationLog
    from relaydesk.security.secrets import load_secret_box

    settings = load_settings(data_dir)
    db = open_db(settings)
    log = DatabaseIntegrationLog(db)
    try:
        with db.session() as session:
            conn = require_freshdesk(session, load_secret_box(settings))
        if list_choices:
            _print_lists(*asyncio.run(_fetch_lists(conn, log)), json_out=json_out)
            return
        current = FreshdeskConfig.from_options(conn.options).model_dump()
        if group is not None:
            current["group_id"] = group
        for name, value in (("priority", priority), ("status", status), ("source", source)):
            if value is not None:
                current[name] = value
        if tag:
            current["tags"] = tag
        if map_ or set_:
            entries = [
                {"field": f, "attribute": a} for a, f in _parse_pairs(map_ or [], "--map")
            ] + [{"field": f, "value": v} for f, v in _parse_pairs(set_ or [], "--set")]
            current["field_mapping"] = entries
        try:
            config = FreshdeskConfig.model_validate(current)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise fail(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc
        if config.group_id is None:
            raise fail("--group is required: the group new tickets go to")
        if not no_check:
            groups, fields = asyncio.run(_fetch_lists(conn, log))
            problems = validate_config(config, groups=groups, fields=fields)
            if problems:
                for p in problems:
                    typer.secho(f"error: {p['field']}: {p['message']}", err=True, fg="red")
                raise typer.Exit(1)
        with db.transaction() as session:
            update_options(session, "freshdesk", config.to_options())
    except RelaydeskError as exc:
        raise fail(f"freshdesk not configured: {exc.message}") from exc
    finally:
        log.close()
        db.dispose()
    shown = config.model_dump(mode="json")
    if json_out:
        echo_json(shown)
        return
    mapping = ", ".join(
        f"{m.attribute}→{m.field}" if m.attribute else f"{m.field}={m.value!r}"
        for m in config.field_mapping
    )
    typer.echo(
        f"freshdesk tickets: group {config.group_id}, priority {config.priority}, "
        f"status {config.status}, source {config.source}, tags {', '.join(config.tags) or '-'}; "
        f"mapping: {mapping or 'none'}"
    )
