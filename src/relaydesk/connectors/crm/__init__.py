"""The Freshworks CRM connector: look a contact up by email; fill name, email and company."""

from relaydesk.connectors.crm.client import CrmClient, open_crm_http

__all__ = ["CrmClient", "open_crm_http"]
