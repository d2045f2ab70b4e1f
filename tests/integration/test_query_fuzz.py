"""Hostile query strings on every GET route: no answer may be a server error.

Every GET route of ``app.url_map`` (web and API) is requested by a visitor the access policy
lets in (``tests/integration/test_access.py``), its path filled with the ids of real factory
objects. Each route gets every hostile value in four ways: all the common parameter names at
once, all the names its view reads at once, the period names it reads at once (so ``start``
and ``end`` are both far away), and each parameter the route's view reads (found in its module's source: ``request.args``
reads and the fields of forms fed with ``request.args``) on its own. A list (the same name
twice) is among the values. Any 5xx fails the test, naming the route, the query and the status.

SQLite runs every route; PostgreSQL runs the routes that read a query parameter (the ones where
a value reaches the database).
"""

from __future__ import annotations

import importlib
import inspect
import re
from urllib.parse import urlencode

import pytest
from wtforms.fields.core import UnboundField

from app import create_app
from app.models.enums import Role
from tests.api_support import token_for
from tests.conftest import login
from tests.integration.test_access import (
    ALL_VISITORS,
    API_POLICY,
    expected_statuses,
    visitors,  # noqa: F401 - the fixture is used by name
)

#: The names a query string is tried with on every route.
COMMON_NAMES = (
    "year",
    "date",
    "start",
    "end",
    "page",
    "q",
    "status",
    "area",
    "sort",
    "format",
    "month",
    "week",
    "id",
    "view",
    "next",
    "group",
    "people",
    "day",
    "pool",
    "lang",
    "limit",  # the API's list
    "offset",
    "only_open",
)

#: Hostile values: out-of-range numbers and dates, junk, markup, long text, NUL.
HOSTILE = (
    "-1",
    "0",
    "10000",
    "99999999999999999999",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "",
    "x",
    "'\"<>",
    "1e309",
    "NaN",
    "x" * 5000,
    "\x00",
)
#: Names that bound a period together: tried all at once too (``start=end=9999-12-31``).
PERIOD_NAMES = {"start", "end", "since", "until", "date", "day", "year", "month", "week"}
#: A list: the same parameter twice with different values.
LIST = ("1", "9999-12-31")

_ARG_READ = re.compile(r"""(?:request\.args|args)\.(?:get|getlist)\(\s*["'](\w+)["']""")
_FORM_FROM_ARGS = re.compile(r"(\w+Form)\((?:request\.)?args\b")


@pytest.fixture
def app(app_config):
    """The app with generous rate limits, answering an exception with its 500 page."""
    return create_app(
        {**app_config, "API_RATE_LIMIT": "100000 per minute", "PROPAGATE_EXCEPTIONS": False}
    )


def _pattern(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def _get_routes(app) -> list[tuple[str, str]]:
    """Return (path pattern, endpoint) for every GET route but static files."""
    return sorted(
        (_pattern(rule), rule.endpoint)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    )


def _read_names(app, endpoint: str) -> set[str]:
    """Return the query parameter names the endpoint's module reads."""
    module = inspect.getmodule(app.view_functions[endpoint])
    source = inspect.getsource(module)
    names = set(_ARG_READ.findall(source))
    for form_name in _FORM_FROM_ARGS.findall(source):
        form_class = getattr(module, form_name, None)
        if form_class is not None:
            names |= {
                name
                for name in dir(form_class)
                if isinstance(getattr(form_class, name, None), UnboundField)
            }
    # Helpers in other modules that are handed the query string read it too.
    for helper in re.findall(r"(\w+)\(request\.args\b", source):
        imported = re.search(rf"from ([\w.]+) import [^\n]*\b{helper}\b", source)
        helper_module = (
            importlib.import_module(imported.group(1))
            if imported
            else inspect.getmodule(getattr(module, helper, None))
        )
        if helper_module is not None and helper_module is not module:
            names |= set(_ARG_READ.findall(inspect.getsource(helper_module)))
    return names


def _visitor(path: str) -> str:
    """Return the first visitor the policy answers 200 (or 2xx) for ``path``."""
    if path.startswith("/api/"):
        statuses = API_POLICY[f"GET {path}"]
    else:
        from tests.integration.test_access import POLICY

        statuses = expected_statuses(path) if path in POLICY else (200,) * len(ALL_VISITORS)
    for name, status in zip(ALL_VISITORS, statuses, strict=True):
        if status < 300:
            return name
    return "anonymous"


def _queries(names: set[str]) -> list[list[tuple[str, str]]]:
    """Return the query strings to try: all common names at once, all read names at once, then
    each read name alone."""
    queries = [[(name, value) for name in COMMON_NAMES] for value in HOSTILE]
    queries.append([(name, value) for name in COMMON_NAMES for value in LIST])
    queries += [[(name, value) for name in sorted(names)] for value in HOSTILE]
    periods = sorted(names & PERIOD_NAMES)
    queries += [[(name, value) for name in periods] for value in HOSTILE if len(periods) > 1]
    for name in sorted(names):
        queries += [[(name, value)] for value in HOSTILE]
        queries.append([(name, value) for value in LIST])
    return queries


def _server_errors(app, factory, clients, ids, path: str, endpoint: str) -> list[str]:
    url = path.format(**ids)
    visitor = _visitor(path)
    headers = {}
    client = clients[visitor]
    if path.startswith("/api/"):
        client = app.test_client()
        if visitor != "anonymous":
            headers["Authorization"] = f"Bearer {token_for(factory, ids['users'][visitor])}"
    errors = []
    for query in _queries(_read_names(app, endpoint)):
        response = client.get(f"{url}?{urlencode(query)}", headers=headers)
        if response.status_code >= 500:
            shown = urlencode(query)[:160]
            errors.append(f"{response.status_code} GET {url}?{shown} as {visitor}")
    return errors


def _routes_reading_the_query(app) -> list[tuple[str, str]]:
    return [(path, ep) for path, ep in _get_routes(app) if _read_names(app, ep)]


def test_every_get_route_survives_hostile_query_strings(visitors, app, factory, database_url):  # noqa: F811
    clients, ids = visitors
    routes = _get_routes(app)
    if not database_url.startswith("sqlite"):
        routes = _routes_reading_the_query(app)

    errors = [
        error
        for path, endpoint in routes
        for error in _server_errors(app, factory, clients, ids, path, endpoint)
    ]

    assert errors == []


def test_the_fuzz_reaches_the_routes_that_read_the_query(app):
    paths = {path for path, _ in _routes_reading_the_query(app)}

    assert {
        "/compensation/statement",
        "/me/calendar/",
        "/council/insight/",
        "/council/insight/{chart}.csv",
        "/council/pool",
        "/audit/",
        "/compensation/costs",
        "/compensation/settlement",
        "/orders/estimate",
    } <= paths


def _signed_in(app, factory, visitor: str):
    """Return a client signed in as a new member or council user."""
    role = Role.MEMBER if visitor == "member" else Role.COUNCIL
    user = factory.user(role)
    if role == Role.MEMBER:
        factory.member(user=user)
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


@pytest.mark.parametrize(
    ("visitor", "url", "message"),
    [
        ("member", "/compensation/statement?year=-1", "Skriv ett år från 2000 till 2100."),
        ("member", "/compensation/statement?year=10000", "Skriv ett år från 2000 till 2100."),
        (
            "member",
            "/compensation/statement?year=99999999999999999999",
            "Skriv ett år från 2000 till 2100.",
        ),
        ("member", "/me/calendar/?date=9999-12-31", "Ange ett datum från 2000-01-01 till"),
        ("member", "/me/calendar/?date=0001-01-01&view=month", "Ange ett datum från 2000-01-01"),
        (
            "council",
            "/council/insight/?start=9999-12-31&end=9999-12-31",
            "Ange ett datum från 2000-01-01 till 2100-12-31.",
        ),
        (
            "council",
            "/council/insight/?start=0001-01-01&end=0001-01-01",
            "Ange ett datum från 2000-01-01 till 2100-12-31.",
        ),
        (
            "council",
            "/council/insight/pool_age.csv?start=9999-12-31&end=9999-12-31",
            "Ange ett datum från 2000-01-01 till 2100-12-31.",
        ),
        ("council", "/audit/?since=0001-01-01", "Ange ett datum från 2000-01-01 till 2100-12-31."),
        (
            "council",
            "/audit/export.csv?until=9999-12-31",
            "Ange ett datum från 2000-01-01 till 2100-12-31.",
        ),
    ],
)
def test_out_of_range_query_is_refused_in_swedish(app, factory, visitor, url, message):
    client = _signed_in(app, factory, visitor)

    response = client.get(url)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_statement_of_a_year_in_range_still_answers(app, factory):
    client = _signed_in(app, factory, "member")

    response = client.get("/compensation/statement?year=2100")

    assert response.status_code == 200
