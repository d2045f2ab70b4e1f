"""FastSelect (app/web/widgets.py) and html_params (app/web/form_html.py) write what WTForms does."""

from __future__ import annotations

import pytest
import wtforms.widgets.core
from markupsafe import Markup
from wtforms import Form, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import Select

from app import create_app
from app.i18n import lazy_gettext as _l
from app.web.form_html import WTFORMS_HTML_PARAMS, html_params
from app.web.labels import options
from app.web.widgets import FastSelect

CHOICES = options(
    [
        (1, "Cancer"),
        (2, '— Bröst<cancer> & "mer"'),
        (3, _l("Any")),
        (0, ""),
        ('a"b', "quoted value"),
    ]
)


class Plain(Form):
    one = SelectField("One", coerce=int, choices=CHOICES[:4])
    required = SelectField("Req", coerce=int, choices=CHOICES[:4], validators=[InputRequired()])
    text = SelectField("Text", choices=options((str(c.value), c.label) for c in CHOICES))
    many = SelectMultipleField("Many", coerce=int, choices=CHOICES[:4])
    flags = SelectField("Flags", choices=options([("yes", "Yes"), ("no", "No")]), coerce=str)


class Grouped(Form):
    one = SelectField(
        "One",
        choices=[
            SelectChoice("a", "A", optgroup="G"),
            SelectChoice("b", "B", render_kw={"data-x": "1"}),
        ],
    )


@pytest.fixture
def app_context():
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 48, "DATABASE_URL": "sqlite://"})
    with app.test_request_context():
        yield


@pytest.mark.parametrize(
    ("data", "attrs"),
    [
        ({}, {}),
        ({"one": 2, "required": 0, "text": 'a"b', "many": [1, 3]}, {"size": 5}),
        ({"one": 3, "many": [0]}, {"aria_describedby": "x-hint", "aria-invalid": "true"}),
    ],
)
def test_same_markup_as_select(app_context, data, attrs, monkeypatch):
    form = Plain(data=data)
    fast = {
        field.name: FastSelect(multiple=field.type == "SelectMultipleField")(field, **attrs)
        for field in form
    }
    # WTForms' Select with WTForms' own html_params (create_app installs the faster one).
    monkeypatch.setattr(wtforms.widgets.core, "html_params", WTFORMS_HTML_PARAMS)
    for field in form:
        slow = Select(multiple=field.type == "SelectMultipleField")
        assert fast[field.name] == slow(field, **attrs)


def test_groups_and_option_attributes_fall_back(app_context):
    field = Grouped().one
    assert FastSelect()(field) == Select()(field)


@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"name": "x", "id": "f", "class_": "text"},
        {"checked": True, "readonly": False, "name": "text1", "abc": "hello"},
        {"data_attr": "user.name", "aria_labeledby": "name", "for_": "x"},
        {"value": "a\"b<c>&d'", "title": Markup('<b>"bold"</b>'), "size": 5, "step": 0},
        {"value": None, "placeholder": _l("Any"), "multiple": True, "required": False},
    ],
)
def test_html_params_writes_what_wtforms_writes(app_context, attrs):
    assert html_params(**attrs) == WTFORMS_HTML_PARAMS(**attrs)
    assert isinstance(html_params(**attrs), Markup)


def test_wtforms_renders_through_the_installed_html_params(app_context):
    form = Plain(data={"one": 2})
    assert wtforms.widgets.core.html_params is html_params
    assert str(form.one.label) == '<label for="one">One</label>'


def test_every_select_field_writes_with_fast_select(app_context):
    form = Plain()
    assert isinstance(form.one.widget, FastSelect) and not form.one.widget.multiple
    assert isinstance(form.many.widget, FastSelect) and form.many.widget.multiple
