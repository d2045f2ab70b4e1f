"""FastSelect (app/web/widgets.py) writes exactly what WTForms' Select writes."""

from __future__ import annotations

import pytest
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import Select

from app import create_app
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
def test_same_markup_as_select(app_context, data, attrs):
    form = Plain(data=data)
    for field in form:
        fast = FastSelect(multiple=field.type == "SelectMultipleField")
        slow = Select(multiple=field.type == "SelectMultipleField")
        assert fast(field, **attrs) == slow(field, **attrs)


def test_groups_and_option_attributes_fall_back(app_context):
    field = Grouped().one
    assert FastSelect()(field) == Select()(field)
