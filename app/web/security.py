"""Security headers, bounded URL ids, and refusing text no database can store.

- Content-Security-Policy without inline script (scripts live in app/static/js), frames
  refused (``frame-ancestors 'none'``), no MIME sniffing, no referrer sent to other sites
  (links with secrets in the path — invitations, calendar feeds — must not leak), and HSTS in
  production. Inline ``style`` attributes are allowed: the calendar grid positions its blocks
  with them, and styles cannot run code.
- ``<int:…>`` in URLs never overflows PostgreSQL's INTEGER: a huge id is a 404.
- Form fields and query strings with NUL characters are a 400: PostgreSQL refuses them in text.
- ``Cache-Control: no-store`` and ``Pragma: no-cache`` on every answer to a signed-in user or
  an API token, pages, downloads and error pages alike (they may show health data), and on
  every answer that set no caching of its own. Only static assets, and a public answer that
  chose its caching (an anonymous calendar feed), keep theirs.
"""

from __future__ import annotations

from flask import Flask, abort, request, session
from werkzeug.routing import BaseConverter

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"
MAX_ID = 2_147_483_647
NO_STORE = "no-store"


class Int32Converter(BaseConverter):
    """An ``int`` URL part that can never overflow PostgreSQL's INTEGER.

    Up to ten digits match; a number above INTEGER's range becomes 0, which is no row's id, so
    the view answers 404. (Refusing it in the converter instead would make Werkzeug answer 405
    when two rules share the path with different methods.)
    """

    regex = r"\d{1,10}"
    weight = 50
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = int(value)
        return number if number <= MAX_ID else 0

    def to_url(self, value) -> str:
        return str(int(value))


def unstorable_text(value: str) -> bool:
    """Return True when text holds NUL or lone surrogates (no database stores those)."""
    return "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value)


def init_security(app: Flask) -> None:
    """Install the URL converter, the input guard and the response headers."""
    app.url_map.converters["int"] = Int32Converter
    is_production = app.config.get("ENV_NAME") == "production"

    @app.before_request
    def _refuse_unstorable_text():
        fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
        if any(unstorable_text(name) or unstorable_text(value) for name, value in fields):
            abort(400)

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if is_production:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response

    @app.after_request
    def _no_store(response):
        if request.endpoint != "static" and _must_not_be_stored(response):
            response.headers["Cache-Control"] = NO_STORE
            response.headers["Pragma"] = "no-cache"
        return response


def _must_not_be_stored(response) -> bool:
    """Return True unless an anonymous answer chose its own caching.

    A sign-in is read from the session cookie, not by loading the user: an error page after a
    failed database call must not query again.
    """
    chosen = response.headers.get("Cache-Control", "")
    if not chosen or "no-store" in chosen or request.authorization is not None:
        return True
    return "_user_id" in session
