"""Bad ids in admin API paths and queries: a canonical 4xx, never a 500."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.postgres

HUGE = "9" * 40


def _canonical(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status and body["code"]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/api/v1/contacts/%00/export",
        "/admin/api/v1/contacts/a%00b/export",
        "/admin/api/v1/contacts/%F0%9F%98%80/export",
        "/admin/api/v1/contacts/%ED%A0%80/export",
        "/admin/api/v1/contacts/" + "x" * 5000 + "/export",
        "/admin/api/v1/contacts/" + HUGE + "/export",
    ],
)
async def test_odd_contact_ids_are_a_404(api: httpx.AsyncClient, path: str) -> None:
    _canonical(await api.get(path), 404)
    _canonical(await api.delete(path.removesuffix("/export")), 404)


async def test_odd_contact_lookups_are_answered(api: httpx.AsyncClient) -> None:
    for params in ({"email": "a\x00b@example.com"}, {"external_id": "u\x00"}):
        response = await api.get("/admin/api/v1/contacts", params=params)
        assert response.status_code in (200, 400), response.text
        if response.status_code == 200:
            assert response.json()["contacts"] == []
        else:
            _canonical(response, 400)


async def test_huge_or_negative_job_ids_are_a_400(api: httpx.AsyncClient) -> None:
    _canonical(await api.post(f"/admin/api/v1/logs/dead-letters/{HUGE}/retry"), 400)
    _canonical(await api.post("/admin/api/v1/logs/dead-letters/-1/retry"), 400)
    _canonical(await api.post("/admin/api/v1/logs/dead-letters/2147483647/retry"), 404)
    _canonical(await api.post("/admin/api/v1/logs/dead-letters/abc/retry"), 400)
    _canonical(await api.get("/admin/api/v1/logs", params={"job_id": HUGE}), 400)
    _canonical(await api.get("/admin/api/v1/logs", params={"limit": HUGE}), 400)
