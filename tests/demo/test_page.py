"""The demo's product page and its sample knowledge base."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from relaydesk.demo.page import SAMPLE_KB, install_demo_page, render_demo_page
from relaydesk.knowledge.parsing import parse_article


def test_demo_page_embeds_the_one_line_snippet() -> None:
    html = render_demo_page(inbox_url="http://127.0.0.1:8900/_sandbox/")
    assert '<script src="/widget.js" data-relaydesk data-title="Pebble Coffee support"' in html
    assert 'href="http://127.0.0.1:8900/_sandbox/"' in html
    assert "admin console" not in html


def test_demo_page_escapes_what_it_is_given() -> None:
    html = render_demo_page(
        inbox_url='http://x/"><script>alert(1)</script>', user_jwt='a"b', admin_url="http://a/"
    )
    assert "<script>alert(1)</script>" not in html
    assert 'data-user-jwt="a&#34;b"' in html
    assert 'href="http://a/"' in html


async def test_demo_page_is_served_at_the_root() -> None:
    app = FastAPI()
    install_demo_page(app, inbox_url=None)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as client:
        response = await client.get("/")
        missing = await client.get("/elsewhere")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Pebble <span>Coffee</span> Co." in response.text
    assert missing.status_code == 404


def test_sample_knowledge_base_has_15_to_25_articles_with_urls() -> None:
    paths = sorted(SAMPLE_KB.glob("*.md"))
    assert 15 <= len(paths) <= 25
    for path in paths:
        article = parse_article(path)
        assert article.title and article.url, path
