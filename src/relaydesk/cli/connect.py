"""`relaydesk connect …`, `relaydesk configure …` and `relaydesk logs`.

- ``connect freshchat --base-url URL --api-key KEY --webhook-public-key FILE
  [--crm-base-url URL --crm-api-key KEY] [--bundle-alias ALIAS] [--no-check]``: check the
  credentials against Freshchat (and the CRM), then store them with the keys encrypted.
  ``--base-url`` also takes a bare subdomain (``acme`` → ``https://acme.freshchat.com``).
- ``configure freshchat --ai-agent ID --group ID --channel ID [...]``: choose the AI agent,
  the escalation group and the topic, refused when Freshchat has no such id;
  ``configure freshchat --list`` shows what there is to choose from.
- ``connect freshdesk`` / ``configure freshdesk`` come from ``relaydesk.cli.freshdesk``.
- ``logs [--system S] [--limit N] [--errors] [--json]``: the integration log, newest first,
  followed by dead-lettered delivery jobs.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from relaydesk.cli.common import DataDirOption, echo_json, fail, load_settings, open_db
from relaydesk.cli.freshdesk import configure_freshdesk, connect_freshdesk
from relaydesk.errors import RelaydeskError

# The connectors (httpx, the webhook receiver, FastAPI) load inside each command, so that
# `relaydesk ask` and the other commands start without them.

connect_app = typer.Typer(
    help="Connect relaydesk to Freshchat (with the optional CRM) or Freshdesk.",
    no_args_is_help=True,
)
configure_app = typer.Typer(
    help="Configure a connected system (agent, group, topic, options).", no_args_is_help=True
)


@connect_app.command("freshchat")
def connect_freshchat_command(
    base_url: Annotated[
        str,
        typer.Option(
            "--base-url",
            help="Freshchat API URL as the admin page shows it (Chat URL), or the subdomain.",
        ),
    ],
    api_key: Annotated[str, typer.Option("--api-key", help="The Freshchat API token.")],
    webhook_public_key: Annotated[
        Path,
        typer.Option(
            "--webhook-public-key",
            help="File with the RSA public key exactly as Freshchat's webhook page shows it.",
            exists=False,
        ),
    ],
    crm_base_url: Annotated[
        str | None,
        typer.Option("--crm-base-url", help="Freshworks CRM URL or bundle alias (optional)."),
    ] = None,
    crm_api_key: Annotated[
        str | None, typer.Option("--crm-api-key", help="Freshworks CRM API key (optional).")
    ] = None,
    bundle_alias: Annotated[
        str | None, typer.Option("--bundle-alias", help="CRM bundle alias, if not in the URL.")
    ] = None,
    no_check: Annotated[
        bool, typer.Option("--no-check", help="Store without checking against the API.")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Store the Freshchat connection (keys encrypted), after checking it against the API."""
    from relaydesk.connectors.freshchat.account import ConnectionCheckFailed
    from relaydesk.connectors.freshchat.setup import connect_freshchat, webhook_url
    from relaydesk.connectors.http import DatabaseIntegrationLog
    from relaydesk.security.secrets import load_secret_box

    settings = load_settings(data_dir)
    try:
        key_text = webhook_public_key.read_text(encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot read the webhook public key file {webhook_public_key}: {exc}") from exc
    db = open_db(settings)
    log = DatabaseIntegrationLog(db)
    try:
        outcome = asyncio.run(
            connect_freshchat(
                db,
                load_secret_box(settings),
                base_url=base_url,
                api_key=api_key,
                webhook_public_key=key_text,
                crm_base_url=crm_base_url,
                crm_api_key=crm_api_key,
                bundle_alias=bundle_alias,
                check=not no_check,
                log=log,
            )
        )
    except ConnectionCheckFailed as exc:
        raise fail(f"freshchat not connected ({exc.reason}): {exc.message}") from exc
    except RelaydeskError as exc:
        raise fail(f"freshchat not connected: {exc.message}") from exc
    finally:
        log.close()
        db.dispose()
    summary = outcome.summary()
    summary["webhook_url"] = webhook_url(settings)
    if json_out:
        echo_json(summary)
        return
    checked = (
        f"{summary['agents']} agents, {summary['groups']} groups, {summary['channels']} topics"
        if outcome.checked
        else "not checked"
    )
    typer.echo(f"freshchat connected at {outcome.freshchat.base_url} ({checked})")
    for problem in outcome.unset:
        typer.echo(f"unset {problem['field']}: {problem['message']}")
    if outcome.crm is not None:
        typer.echo(f"crm connected at {outcome.crm.base_url}")
    typer.echo(f"paste this webhook URL into Freshchat: {summary['webhook_url']}")
    typer.echo("next: relaydesk configure freshchat --ai-agent ID --group ID --channel ID")


@configure_app.command("freshchat")
def configure_freshchat_command(
    ai_agent: Annotated[
        str | None, typer.Option("--ai-agent", help="Agent id that represents the AI.")
    ] = None,
    group: Annotated[
        str | None, typer.Option("--group", help="Escalation group id for handoffs.")
    ] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="Topic (channel) id the AI works in.")
    ] = None,
    mirror_all: Annotated[
        bool | None,
        typer.Option("--mirror-all/--handoff-only", help="Mirror every conversation."),
    ] = None,
    answer_in_freshchat: Annotated[
        bool | None,
        typer.Option(
            "--answer-in-freshchat/--no-answer-in-freshchat",
            help="Answer as the AI agent in Freshchat's own widget.",
        ),
    ] = None,
    auto_resolve_seconds: Annotated[
        int | None,
        typer.Option("--auto-resolve-seconds", help="Inactivity before auto-resolve."),
    ] = None,
    auto_resolve: Annotated[
        bool | None, typer.Option("--auto-resolve/--no-auto-resolve", help="Auto-resolve.")
    ] = None,
    field_map: Annotated[
        list[str] | None,
        typer.Option("--map", help="ATTRIBUTE=PROPERTY: a contact attribute → user property."),
    ] = None,
    list_choices: Annotated[
        bool, typer.Option("--list", help="List agents, groups and topics; change nothing.")
    ] = False,
    no_check: Annotated[
        bool, typer.Option("--no-check", help="Store without checking the ids.")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Choose the AI agent, escalation group and topic (validated against Freshchat)."""
    from relaydesk.connectors.freshchat.setup import configure_freshchat, load_catalog
    from relaydesk.connectors.http import DatabaseIntegrationLog
    from relaydesk.security.secrets import load_secret_box

    settings = load_settings(data_dir)
    db = open_db(settings)
    box = load_secret_box(settings)
    log = DatabaseIntegrationLog(db)
    try:
        if list_choices:
            catalog = asyncio.run(load_catalog(db, box, log=log))
            data = catalog.model_dump(mode="json", include={
                "agents": {"__all__": {"id", "first_name", "last_name", "email"}},
                "groups": {"__all__": {"id", "name"}},
                "channels": {"__all__": {"id", "name"}},
            })  # fmt: skip
            if json_out:
                echo_json(data)
            else:
                for kind in ("agents", "groups", "channels"):
                    typer.echo(f"{kind}:")
                    for item in data[kind]:
                        label = item.get("name") or " ".join(
                            p for p in (item.get("first_name"), item.get("last_name")) if p
                        )
                        typer.echo(f"  {item['id']}  {label}")
            return
        changes: dict[str, Any] = {
            "ai_agent_id": ai_agent,
            "escalation_group_id": group,
            "channel_id": channel,
            "mirror_all": mirror_all,
            "answer_in_freshchat": answer_in_freshchat,
            "auto_resolve_seconds": auto_resolve_seconds,
            "auto_resolve_enabled": auto_resolve,
        }
        if field_map:
            changes["field_mapping"] = _pairs(field_map)
        changes = {k: v for k, v in changes.items() if v is not None}
        if not changes:
            raise fail("nothing to configure: give --ai-agent, --group, --channel or an option")
        options = asyncio.run(configure_freshchat(db, box, changes, check=not no_check, log=log))
    except RelaydeskError as exc:
        raise fail(f"freshchat not configured: {exc.message}") from exc
    finally:
        log.close()
        db.dispose()
    shown = options.model_dump(exclude={"webhook_public_key", "webhook_public_key_previous"})
    if json_out:
        echo_json(shown)
        return
    for key in ("ai_agent_id", "escalation_group_id", "channel_id", "mirror_all"):
        typer.echo(f"{key}: {shown[key]}")


def _pairs(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in values:
        left, sep, right = raw.partition("=")
        if not sep or not left.strip() or not right.strip():
            raise fail(f"--map {raw!r}: write it as ATTRIBUTE=PROPERTY")
        out[left.strip()] = right.strip()
    return out


connect_app.command("freshdesk")(connect_freshdesk)
configure_app.command("freshdesk")(configure_freshdesk)


def logs(
    system: Annotated[
        str | None, typer.Option("--system", help="freshchat, freshdesk or crm.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10000, help="Entries.")] = 50,
    errors: Annotated[bool, typer.Option("--errors", help="Only failed calls.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="JSON lines.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Show the integration log (every remote API call) and dead-lettered deliveries."""
    from relaydesk.connectors.queries import list_integration_log
    from relaydesk.jobs.queries import list_jobs

    if system is not None and system not in ("freshchat", "freshdesk", "crm"):
        raise fail(f"--system {system!r}: one of freshchat, freshdesk, crm")
    settings = load_settings(data_dir)
    db = open_db(settings)
    try:
        with db.session() as session:
            entries = [
                {
                    "id": e.id,
                    "time": e.created_at.isoformat(),
                    "system": e.system,
                    "method": e.method,
                    "path": e.path,
                    "status": e.status,
                    "latency_ms": e.latency_ms,
                    "error": e.error,
                    "job_id": e.job_id,
                    "request_body": e.request_body,
                    "response_body": e.response_body,
                }
                for e in list_integration_log(
                    session, system=system, errors_only=errors, limit=limit
                )
            ]
            dead = [
                {"job_id": j.id, "kind": j.kind, "attempts": j.attempts, "error": j.last_error,
                 "time": j.updated_at.isoformat()}
                for j in list_jobs(session, status="dead", limit=limit)
                if system is None or system in j.kind
            ]  # fmt: skip
    finally:
        db.dispose()
    if json_out:
        for entry in entries:
            typer.echo(json.dumps(entry, ensure_ascii=False))
        for job in dead:
            typer.echo(json.dumps({"dead_letter": True, **job}, ensure_ascii=False))
        return
    if not entries and not dead:
        typer.echo("no calls logged")
    for e in entries:
        status = e["status"] if e["status"] is not None else "---"
        line = f"{e['time']}  {e['system']:<9} {e['method']:<6} {status}  {e['latency_ms']:>8.1f} ms  {e['path']}"
        if e["error"]:
            line += f"  ! {e['error']}"
        typer.echo(line)
    if dead:
        typer.echo("dead-lettered deliveries:")
        for job in dead:
            typer.echo(
                f"  job {job['job_id']} {job['kind']} after {job['attempts']} tries: {job['error']}"
            )
