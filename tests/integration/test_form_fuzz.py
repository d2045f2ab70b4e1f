"""Fuzz every form of the web app with hypothesis: no input may make a page answer 500.

The forms are found the way a person finds them: each role opens every page the access policy
lets it open, and every ``<form>`` on those pages (its action, method and field names) becomes
a target. Hypothesis then fills the fields with awkward text — empty, huge, non-ASCII, numbers
out of range, impossible dates and times, markup, control characters — and submits it with the
page's own CSRF token. Bounded by ``FUZZ_FORM_EXAMPLES`` (default 8 per form) for CI.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.test_access import POLICY, visitors  # noqa: F401  (the fixture)

#: Examples per form found (the CI bound); raise FUZZ_FORM_EXAMPLES for a longer hunt.
EXAMPLES_PER_FORM = int(os.environ.get("FUZZ_FORM_EXAMPLES", "8"))
#: Forms that would end the visitor's session rather than test input handling.
SKIPPED_ACTIONS = ("/logout", "/language/")

AWKWARD = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1.5",
        "99999999999999999999",
        "2147483648",
        "1e309",
        "NaN",
        "2026-02-30",
        "0000-01-01",
        "9999-12-31",
        "24:00",
        "23:59",
        "12:00:00",
        "yes",
        "on",
        "1,2,3",
        "1,,x",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\u202eevil",
        "Åsa Öberg-Ärlig",
        "a" * 6000,
        "sv",
        "en",
    ]
)
VALUES = st.one_of(AWKWARD, st.text(max_size=80), st.integers().map(str))


class _Forms(HTMLParser):
    """Collect each form's action, method and field names (the CSRF token kept apart)."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url, self.forms, self._form = page_url, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self._form = {"action": action, "method": (attrs.get("method") or "get").lower()}
            self._form |= {"fields": set(), "csrf": {}}
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            if name and name.endswith("csrf_token"):  # prefixed forms: "exp-csrf_token"
                self._form["csrf"][name] = attrs.get("value", "")
            elif name:
                self._form["fields"].add(name)

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def discover_forms(client, ids) -> list[dict]:
    """Return the distinct forms on every page this client may open."""
    found = {}
    for path in sorted(POLICY):
        url = path.format(**ids)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        parser = _Forms(url)
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            if form["action"].startswith(SKIPPED_ACTIONS):
                continue
            key = (form["action"], form["method"], tuple(sorted(form["fields"])))
            found.setdefault(key, form)
    return list(found.values())


@pytest.mark.parametrize("role", ["member", "orderer", "council", "admin"])
def test_no_form_input_makes_a_server_error(visitors, role):  # noqa: F811
    clients, ids = visitors
    client = clients[role]
    forms = discover_forms(client, ids)
    assert forms, f"{role} should see at least one form"

    @settings(
        max_examples=EXAMPLES_PER_FORM * len(forms),
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def submit(data):
        form = data.draw(st.sampled_from(forms), label="form")
        fields = sorted(form["fields"])
        values = data.draw(
            st.fixed_dictionaries({}, optional={name: VALUES for name in fields}), label="values"
        )
        if form["method"] == "post":
            response = client.post(form["action"], data={**values, **form["csrf"]})
        else:
            response = client.get(form["action"], query_string=values)

        assert response.status_code < 500, (form["action"], values)

    submit()
