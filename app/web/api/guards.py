"""Checks on a request body before any view sees it: JSON only, well-formed, storable text."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import BadRequest

from app.services.messages import N_
from app.web.api.errors import ApiError
from app.web.security import unstorable_text

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def check_body() -> None:
    """Refuse a too large (413), non-JSON (415), malformed (400) or unstorable (400) body."""
    if request.method not in BODY_METHODS:
        return
    limit = current_app.config.get("API_MAX_CONTENT_LENGTH")
    if limit is not None:
        # Also bounds a body sent without Content-Length: reading past the limit raises 413.
        request.max_content_length = limit
        if request.content_length is not None and request.content_length > limit:
            raise ApiError(413)
    if request.mimetype in FORM_TYPES:
        raise ApiError(415)
    if not (request.content_length or request.get_data(cache=True)):
        return
    if not request.is_json:
        raise ApiError(415)
    try:
        body = request.get_json()
    except (BadRequest, RecursionError):
        raise ApiError(400, N_("The body is not valid JSON."), code="malformed_json") from None
    if _has_unstorable_text(body):
        raise ApiError(400, N_("The body contains characters that cannot be stored."))


def _has_unstorable_text(value, depth: int = 0) -> bool:
    if depth > 32:
        return True  # deeper than any body we document
    if isinstance(value, str):
        return unstorable_text(value)
    if isinstance(value, dict):
        return any(
            _has_unstorable_text(k, depth + 1) or _has_unstorable_text(v, depth + 1)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return any(_has_unstorable_text(item, depth + 1) for item in value)
    return False
