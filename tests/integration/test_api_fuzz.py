"""Fuzz the JSON API with schemathesis against its own OpenAPI document.

Every operation gets generated inputs, valid and invalid, with a token of a role the operation
allows: no answer may be a 500, and every answer must match the documented status codes,
content type and schema. The number of examples is bounded (``FUZZ_EXAMPLES``, default 25 per
operation) so CI stays quick; raise it locally for a longer hunt.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.models.enums import Role
from tests.api_support import token_for

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def fuzz_app(app_config, factory):
    """The app with generous rate limits, some data, and a token per role that may call."""
    from app import create_app

    app = create_app({**app_config, "API_RATE_LIMIT": "100000 per minute"})
    orderer = factory.user(Role.ORDERER)
    member_user = factory.user(Role.MEMBER)
    member = factory.member(user=member_user, experiences=(("cancer", "own"),))
    factory.weekly_window(member, weekday=2, start=9, end=17)
    factory.booking_request(orderer)
    users = {
        Role.ORDERER: orderer,
        Role.COUNCIL: factory.user(Role.COUNCIL),
        Role.MEMBER: member_user,
        Role.ADMIN: factory.user(Role.ADMIN),
    }
    app.config["FUZZ_TOKENS"] = {role: token_for(factory, user) for role, user in users.items()}
    return app


def _served_document():
    """Load the document as the app serves it (no database is needed to build it)."""
    from app import create_app

    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    )


schema = _served_document()


def _token_for_operation(app, case) -> str:
    """Return a token of the first role the operation allows (any role for open ones)."""
    adapter = app.url_map.bind("localhost")
    endpoint, _ = adapter.match(case.formatted_path, method=case.method)
    allowed = getattr(app.view_functions[endpoint], "allowed_roles", (Role.MEMBER,))
    return app.config["FUZZ_TOKENS"][allowed[0]]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_input_as_documented(case, fuzz_app):
    from werkzeug.exceptions import HTTPException

    try:
        token = _token_for_operation(fuzz_app, case)
    except HTTPException:
        token = fuzz_app.config["FUZZ_TOKENS"][Role.MEMBER]  # a path that does not route
    response = case.call(app=fuzz_app, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code)
    case.validate_response(response, checks=CHECKS)  # raises on any documented-shape breach


#: API routes that are not operations of the document: the document itself and its page. They
#: are GET routes, fuzzed with hostile query strings in ``test_query_fuzz.py``.
NOT_IN_THE_DOCUMENT = {"GET /api/v1/openapi.json", "GET /api/v1/docs"}


def test_the_fuzz_covers_every_api_operation():
    """Every route under /api/v1, with every method, is an operation the fuzz above runs."""
    import re

    from app import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    routes = {
        f"{method} " + re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    fuzzed = {
        f"{method.upper()} {path}"
        for path, item in schema.raw_schema["paths"].items()
        for method in item
        if method in ("get", "put", "post", "delete", "patch")
    }

    assert fuzzed == routes - NOT_IN_THE_DOCUMENT
    # The API never shrinks below the 21 operations it had when this was written.
    assert len(fuzzed) >= 21
