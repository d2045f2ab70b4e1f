"""Absolute links for mail, calendar feeds and pages, built from PUBLIC_BASE_URL.

A link that leaves the site (a password-reset or welcome link in mail, a feed address to paste
into a calendar) must never take its host from the request: the ``Host`` header is the
client's to choose, so ``url_for(..., _external=True)`` would let anyone have the service mail
a genuine token to a victim inside a link to the attacker's host. ``public_url`` takes the
scheme, host, port and any path prefix from the configured ``PUBLIC_BASE_URL`` instead.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app


def public_url(endpoint: str, **values) -> str:
    """Return the absolute address of ``endpoint`` under the configured PUBLIC_BASE_URL."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def register_public_url(app: Flask) -> None:
    """Offer ``public_url`` to the templates."""
    app.jinja_env.globals["public_url"] = public_url
