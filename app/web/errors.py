"""Error pages: never a bare 500 for bad input, always a page in the user's language."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from app.db import mark_rollback
from app.web.api.errors import http_error_response, is_api_path

ERROR_STATUSES = (400, 403, 404, 405, 409, 413, 429, 500)


def register_error_handlers(app: Flask) -> None:
    """Render friendly error pages and roll back the request's work on any error."""

    def render_error(error):
        mark_rollback()
        code = getattr(error, "code", 500) or 500
        if is_api_path(request.path):  # the API answers in JSON, even for unknown paths
            return http_error_response(error if isinstance(error, HTTPException) else None, code)
        return render_template("errors/error.html", code=code), code

    for status in ERROR_STATUSES:
        app.register_error_handler(status, render_error)

    @app.errorhandler(SecurityError)
    def untrusted_host(_error):
        # A Host outside TRUSTED_HOSTS: no URLs can be built for it, so no page is rendered.
        mark_rollback()
        return "Bad Request: unknown host.\n", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        mark_rollback()
        return render_template("errors/error.html", code=400, csrf=True), 400
