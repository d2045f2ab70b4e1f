"""The API's error bodies: ``{"error": code, "message": text, "fields": {...}}`` with the right status.

Messages are English message ids, translated per ``Accept-Language`` (English unless the client
prefers Swedish), so an integration can show them or match on the stable ``error`` code.
"""

from __future__ import annotations

from flask import Response, jsonify, request
from flask_babel import force_locale, gettext
from werkzeug.exceptions import HTTPException

from app.db import mark_rollback
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError
from app.services.messages import N_

#: Stable machine-readable code per HTTP status.
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
    500: "internal_error",
}
MESSAGES = {
    400: N_("The request could not be understood."),
    401: N_("A valid API token is required (Authorization: Bearer …)."),
    403: N_("Your role may not do this."),
    404: N_("Not found."),
    405: N_("This method is not allowed here."),
    409: N_("This clashes with the current state."),
    413: N_("The request body is too large."),
    415: N_("Send the body as application/json."),
    422: N_("The input has errors."),
    429: N_("Too many requests; wait a little and try again."),
    500: N_("Something went wrong on our side; nothing was changed."),
}


class ApiError(Exception):
    """An error answered as JSON with its own status and code."""

    def __init__(self, status: int, message: str | None = None, *, code=None, fields=None):
        super().__init__(message or MESSAGES.get(status, ""))
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.fields = fields or {}


def response_language() -> str:
    """Return "sv" when the client prefers Swedish, else "en" (machines read English)."""
    return request.accept_languages.best_match(["en", "sv"], default="en")


def error_response(status: int, message: str, code: str | None = None, fields=None) -> Response:
    """Return the JSON error body with ``status``; the request's work is rolled back."""
    mark_rollback()
    with force_locale(response_language()):
        body = {
            "error": code or CODES.get(status, "error"),
            "message": gettext(message),
            "fields": {name: gettext(text) for name, text in (fields or {}).items()},
        }
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="levbib"'
    return response


def service_error_response(error: ServiceError) -> Response:
    """Translate a service's refusal into its HTTP status."""
    if isinstance(error, InvalidInput):
        return error_response(422, str(error), fields=error.fields)
    if isinstance(error, NotFound):
        return error_response(404, str(error))
    if isinstance(error, Forbidden):
        return error_response(403, str(error))
    if isinstance(error, Conflict):
        return error_response(409, str(error), fields=getattr(error, "fields", None))
    return error_response(400, str(error))


def http_error_response(error: HTTPException | None, status: int | None = None) -> Response:
    """Return any HTTP error (404, 405, 429 …) as the API's JSON body."""
    status = status or (error.code if error is not None else None) or 500
    fallback = error.description if error is not None else ""
    response = error_response(status, MESSAGES.get(status, fallback or ""))
    if status == 405 and error is not None and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def register_api_errors(bp) -> None:
    """Answer every error inside the API blueprint as JSON."""
    bp.register_error_handler(
        ApiError, lambda e: error_response(e.status, str(e), e.code, e.fields)
    )
    bp.register_error_handler(ServiceError, service_error_response)
    bp.register_error_handler(HTTPException, http_error_response)


def is_api_path(path: str) -> bool:
    """Return True for paths under the JSON API (their errors are JSON, never HTML)."""
    return path == "/api" or path.startswith("/api/")
