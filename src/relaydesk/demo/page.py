"""The demo's product page: a fictional shop that embeds the messenger with the one-line snippet.

``install_demo_page(app, inbox_url=…)`` serves it at ``/``; ``SAMPLE_KB`` is the folder of
help-center articles the page's questions are answered from.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

HERE = Path(__file__).resolve().parent
SAMPLE_KB = HERE / "kb"

_templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)


def render_demo_page(
    *,
    inbox_url: str | None,
    admin_url: str | None = None,
    widget_src: str = "/widget.js",
    user_jwt: str | None = None,
) -> str:
    """Return the demo page's HTML: the shop, the "try this" box and the widget snippet."""
    return _templates.get_template("index.html").render(
        inbox_url=inbox_url, admin_url=admin_url, widget_src=widget_src, user_jwt=user_jwt
    )


def install_demo_page(app: FastAPI, *, inbox_url: str | None, admin_url: str | None = None) -> None:
    """Serve the demo page at ``/`` of app (the widget then loads from the same origin)."""
    html = render_demo_page(inbox_url=inbox_url, admin_url=admin_url)

    def demo_page() -> HTMLResponse:
        return HTMLResponse(html)

    app.add_api_route("/", demo_page, methods=["GET"], include_in_schema=False)
