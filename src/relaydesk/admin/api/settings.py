"""Admin API for the messenger's product settings.

GET   /settings/messenger              deploy rules, office hours, prevent replies, identity
PATCH /settings/messenger              change any of them (each validated; all or nothing)
POST  /settings/messenger/check-page   {"page_url"} → would the messenger show there?
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from relaydesk.config.actions import do_delete_product_setting, do_set_product_setting
from relaydesk.config.keys import PREVENT_REPLIES_WHEN_CLOSED
from relaydesk.config.queries import get_product_setting, prevent_replies_when_closed
from relaydesk.db.base import utcnow
from relaydesk.deps import DatabaseDep, SettingsDep
from relaydesk.errors import InvalidInput
from relaydesk.messenger.deploy_rules import SETTING_KEY as DEPLOY_RULES_KEY
from relaydesk.messenger.deploy_rules import parse_deploy_rules
from relaydesk.messenger.service import IDENTITY_KEY
from relaydesk.workflows.office_hours import SETTING_KEY as OFFICE_HOURS_KEY
from relaydesk.workflows.office_hours import parse_office_hours

router = APIRouter(prefix="/settings/messenger", tags=["settings"])


class IdentitySettings(BaseModel):
    """Identity verification: refuse anonymous visitors when ``require_jwt``."""

    model_config = ConfigDict(extra="forbid")

    require_jwt: bool = False


class MessengerSettingsPatch(BaseModel):
    """The messenger settings to change; a field left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    deploy_rules: dict[str, Any] | None = Field(default=None)
    office_hours: dict[str, Any] | None = Field(
        default=None, description="A schedule; {} or {'always': true} for always open."
    )
    prevent_replies_to_closed: bool | None = None
    identity: IdentitySettings | None = None


class PageCheck(BaseModel):
    """A page address to test the deploy rules against."""

    page_url: str = Field(min_length=1, max_length=2048)


def _current(db: Any, app_settings: Any) -> dict[str, Any]:
    with db.session() as session:
        rules = parse_deploy_rules(get_product_setting(session, DEPLOY_RULES_KEY))
        raw_hours = get_product_setting(session, OFFICE_HOURS_KEY)
        hours = parse_office_hours(raw_hours)
        identity = get_product_setting(session, IDENTITY_KEY) or {}
        prevent = prevent_replies_when_closed(session)
    now = utcnow()
    opening = hours.next_open(now)
    return {
        "ok": True,
        "deploy_rules": rules.model_dump(),
        "office_hours": raw_hours,
        "office_hours_status": {
            "open_now": hours.is_open(now),
            "next_open": opening.isoformat() if opening else None,
            "next_open_text": hours.describe_next_open(now),
        },
        "prevent_replies_to_closed": prevent,
        "identity": {
            "require_jwt": bool(identity.get("require_jwt"))
            if isinstance(identity, dict)
            else False,
            "secret_configured": app_settings.identity_secret is not None,
            "previous_secret_configured": app_settings.identity_secret_previous is not None,
        },
    }


@router.get("")
def get_messenger_settings(db: DatabaseDep, app_settings: SettingsDep) -> dict[str, Any]:
    """Return the messenger's product settings (never the identity secret itself)."""
    return _current(db, app_settings)


@router.patch("")
def patch_messenger_settings(
    db: DatabaseDep, app_settings: SettingsDep, body: MessengerSettingsPatch
) -> dict[str, Any]:
    """Validate and store the given settings in one transaction."""
    fields = body.model_fields_set
    if not fields:
        raise InvalidInput(
            "nothing to change: give deploy_rules, office_hours, "
            "prevent_replies_to_closed or identity"
        )
    rules = parse_deploy_rules(body.deploy_rules) if "deploy_rules" in fields else None
    hours = body.office_hours if "office_hours" in fields else None
    if hours:
        parse_office_hours(hours)
    with db.transaction() as session:
        if rules is not None:
            do_set_product_setting(session, DEPLOY_RULES_KEY, rules.model_dump())
        if "office_hours" in fields:
            if hours:
                do_set_product_setting(session, OFFICE_HOURS_KEY, hours)
            else:
                do_delete_product_setting(session, OFFICE_HOURS_KEY)
        if body.prevent_replies_to_closed is not None:
            do_set_product_setting(
                session, PREVENT_REPLIES_WHEN_CLOSED.key, body.prevent_replies_to_closed
            )
        if body.identity is not None:
            do_set_product_setting(session, IDENTITY_KEY, body.identity.model_dump())
    return _current(db, app_settings)


@router.post("/check-page")
def check_page(db: DatabaseDep, body: PageCheck) -> dict[str, Any]:
    """Tell whether the deploy rules show the messenger on a page."""
    with db.session() as session:
        rules = parse_deploy_rules(get_product_setting(session, DEPLOY_RULES_KEY))
    return {"ok": True, "page_url": body.page_url, "shown": rules.shows_on(body.page_url)}
