"""The JSON API under /api/v1/: token-authenticated, documented by OpenAPI 3 from the code.

Why spectree: it is a maintained library that reads pydantic models (SQLModel is pydantic too)
and plain Flask views, validates request bodies and query strings, checks our responses against
the documented models, and builds the OpenAPI document from the same decorators — without
replacing the Flask app class (flask-openapi3 does) or bringing a second schema language
(apispec/flask-smorest use marshmallow). Its bundled doc pages load Swagger UI from a CDN, so
we serve our own HTML rendering of the document instead (works offline, no inline script).
"""

from __future__ import annotations

from flask import Blueprint, current_app
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree

from app.extensions import csrf, limiter
from app.services.messages import N_
from app.web.api.errors import ApiError, register_api_errors
from app.web.api.schemas import ErrorBody

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: Operations anyone may read: the document itself and its human-readable page.
PUBLIC_ENDPOINTS = {"api.openapi_json", "api.docs"}


def _validation_error(_request, _response, error, _instance, _adapter) -> None:
    """Raise spectree's validation failures as the API's own 422 body."""
    if error is None:
        return
    fields = {}
    for item in error.errors():
        name = ".".join(str(part) for part in item.get("loc", ())) or "body"
        fields.setdefault(name, item.get("msg", "invalid"))
    raise ApiError(422, N_("The input has errors."), fields=fields)


spec = SpecTree(
    "flask",
    mode="strict",
    title="Levande bibliotek API",
    version="1",
    description=(
        "Requests, proposals and decisions, and members' availability. Authenticate with "
        "`Authorization: Bearer <token>`; an administrator creates tokens. Every error is "
        '`{"error": code, "message": text, "fields": {...}}`.'
    ),
    openapi_version="3.1.0",
    security_schemes=[
        SecurityScheme(name="bearerAuth", data=SecuritySchemeData(type="http", scheme="bearer")),
    ],
    security={"bearerAuth": []},
    before=_validation_error,
    validation_error_model=ErrorBody,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    annotations=True,
)


def responses(**codes) -> Response:
    """Return a spectree Response with the error statuses every token-checked call can give."""
    # 400: text no database can store (NUL) is refused anywhere, the query string included.
    # 413: a body over API_MAX_CONTENT_LENGTH.
    errors = {f"HTTP_{status}": ErrorBody for status in (400, 401, 403, 413, 429)}
    for status in codes.pop("errors", ()):
        errors[f"HTTP_{status}"] = ErrorBody
    return Response(**errors, **codes)


def _api_rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", "600 per minute")


def _register_checks() -> None:
    from app.web.api.auth import authenticate_request, rate_limit_key
    from app.web.api.guards import check_body

    @bp.before_request
    def _authenticate_and_check():
        from flask import request

        if request.endpoint in PUBLIC_ENDPOINTS:
            return
        authenticate_request()
        check_body()

    limiter.shared_limit(_api_rate_limit, scope="api", key_func=rate_limit_key)(bp)


register_api_errors(bp)
_register_checks()
csrf.exempt(bp)  # the API authenticates by bearer token only, never by cookie

from app.web.api import attendance, availability, council, docs, requests  # noqa: E402,F401  (the routes)
