"""Freshworks CRM (Freshsales) shapes: contacts and sales accounts (companies)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)


class CrmSalesAccount(_Lenient):
    """A company."""

    id: str
    name: str | None = None
    website: str | None = None


class CrmContact(_Lenient):
    """A CRM contact."""

    id: str
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    email: str | None = None
    emails: list[Any] = Field(default_factory=list)  # {value, is_primary, label} or a string
    job_title: str | None = None
    mobile_number: str | None = None
    sales_accounts: list[dict[str, Any]] = Field(default_factory=list)
    sales_account_id: str | None = None
    custom_field: dict[str, Any] = Field(default_factory=dict)

    def has_email(self, email: str) -> bool:
        """Tell whether email is this contact's (primary or any other), case-insensitively."""
        wanted = email.lower()
        if (self.email or "").lower() == wanted:
            return True
        for item in self.emails:
            value = item.get("value") if isinstance(item, dict) else item
            if isinstance(value, str) and value.lower() == wanted:
                return True
        return False

    @property
    def name(self) -> str | None:
        """Return the contact's full name, if known."""
        parts = [p for p in (self.first_name, self.last_name) if p]
        return " ".join(parts) if parts else (self.display_name or None)

    def primary_account_id(self) -> str | None:
        """Return the id of the contact's primary company, if any."""
        for item in self.sales_accounts:
            if item.get("is_primary") and item.get("id") is not None:
                return str(item["id"])
        if self.sales_accounts and self.sales_accounts[0].get("id") is not None:
            return str(self.sales_accounts[0]["id"])
        return self.sales_account_id
