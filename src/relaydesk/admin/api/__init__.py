"""The admin HTTP API under /admin/api/v1: every route needs an admin bearer token.

Each module in this package holds one resource's routes; ``router`` includes them all.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from relaydesk.deps import require_admin

router = APIRouter(prefix="/admin/api/v1", dependencies=[Depends(require_admin)])


@router.get("/whoami")
def whoami() -> dict[str, object]:
    """Tell an authenticated admin client that its token works."""
    return {"ok": True}


from relaydesk.admin.api import freshdesk  # noqa: E402

router.include_router(freshdesk.router)

from relaydesk.admin.api import connections, logs  # noqa: E402

router.include_router(connections.router)
router.include_router(logs.router)

from relaydesk.admin.api import settings as settings_api  # noqa: E402
from relaydesk.admin.api import workflows  # noqa: E402

router.include_router(workflows.router)
router.include_router(settings_api.router)

from relaydesk.admin.api import contacts  # noqa: E402

router.include_router(contacts.router)
