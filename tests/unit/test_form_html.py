"""The fast attribute writer of the form widgets writes exactly what WTForms' own writes."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from app.web.form_html import WTFORMS_HTML_PARAMS, html_params

CASES = [
    {},
    {"name": "title", "id": "title", "value": "Om <b>cancer</b> & \"citat\" 'x'"},
    {"class_": "clock", "autocomplete": "off", "spellcheck": "false", "required": True},
    {"checked": True, "readonly": False, "disabled": False, "value": "y"},
    {"data_add_row": "1", "aria_describedby": "a-hint a-error", "aria-invalid": "true"},
    {"for": "area_ids", "size": 8, "min": 0, "multiple": True, "value": 0},
    {"value": Markup('already "safe" <i>markup</i>'), "title": None},
    {"selected": True, "value": 12, "label": "— Diabetes typ 1"},
]


@pytest.mark.parametrize("kwargs", CASES)
def test_html_params_writes_what_wtforms_writes(kwargs):
    ours = html_params(**kwargs)

    assert ours == WTFORMS_HTML_PARAMS(**kwargs)
    assert isinstance(ours, Markup)


def test_the_request_form_renders_the_same_with_either_writer(app, monkeypatch):
    from wtforms.widgets import core

    from app.web.orders.forms import RequestForm

    with app.test_request_context("/orders/new"):
        form = RequestForm(meta={"csrf": False})
        form.area_ids.choices = [(1, "Cancer"), (2, "— Bröstcancer & <annat>")]
        form.area_ids.data = [2]
        fast = [str(field(class_="x", aria_invalid="true")) + str(field.label) for field in form]
        monkeypatch.setattr(core, "html_params", WTFORMS_HTML_PARAMS)
        monkeypatch.setattr(core.Input, "html_params", staticmethod(WTFORMS_HTML_PARAMS))
        monkeypatch.setattr(core.Button, "html_params", staticmethod(WTFORMS_HTML_PARAMS))
        import wtforms.widgets

        monkeypatch.setattr(wtforms.widgets, "html_params", WTFORMS_HTML_PARAMS)
        slow = [str(field(class_="x", aria_invalid="true")) + str(field.label) for field in form]

    assert fast == slow


def _squeezed(html) -> str:
    """Return markup with the white space between tags and runs of spaces taken out."""
    import re

    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


#: The ``field`` macro as it was written in Jinja before it called ``form_field``: the reference.
JINJA_FIELD_MACRO = """{% macro field(f, hint=None, attrs={}) %}
  {% set merged = dict(attrs) %}
  {% set described = [] %}
  {% if hint %}{% set _ = described.append(f.id ~ '-hint') %}{% endif %}
  {% if f.errors %}{% set _ = described.append(f.id ~ '-error') %}{% set _ = merged.update({'aria-invalid': 'true'}) %}{% endif %}
  {% if described %}{% set _ = merged.update({'aria-describedby': described|join(' ')}) %}{% endif %}
  <div class="field{% if f.errors %} has-error{% endif %}">
    {% if f.type == 'BooleanField' %}
      {{ f(**merged) }} {{ f.label }}
      {% if hint %}<p class="hint" id="{{ f.id }}-hint">{{ hint }}</p>{% endif %}
    {% else %}
      {{ f.label }}
      {% if hint %}<p class="hint" id="{{ f.id }}-hint">{{ hint }}</p>{% endif %}
      {{ f(**merged) }}
    {% endif %}
    {% if f.errors %}
      <p class="error" id="{{ f.id }}-error">{% for e in f.errors %}{{ e }} {% endfor %}</p>
    {% endif %}
  </div>
{% endmacro %}"""


@pytest.mark.parametrize("source", ["reference", "macro"])
def test_form_field_writes_what_the_field_macro_writes(app, source):
    """``form_field`` (and the ``field`` macro calling it) writes the Jinja macro's markup."""
    from flask import render_template_string

    from app.web.form_html import form_field
    from app.web.orders.forms import RequestForm

    macro = (
        JINJA_FIELD_MACRO + "{{ field(f, hint=hint, attrs=attrs) }}"
        if source == "reference"
        else '{% from "_macros.html" import field %}{{ field(f, hint=hint, attrs=attrs) }}'
    )
    with app.test_request_context("/orders/new", method="POST", data={"people_count": "x"}):
        form = RequestForm(meta={"csrf": False})
        form.area_ids.choices = [(1, "Cancer"), (2, "— Bröstcancer & <annat>")]
        form.validate()
        form.title.errors = ["Fyll i <titel>.", "Och en till."]
        cases = [
            (form.title, None, {}),
            (form.people_count, "Minst <två>.", {"min": 1, "inputmode": "numeric"}),
            (form.area_ids, "Välj ett eller flera.", {"size": 8}),
            (form.is_standing, "En hint", {}),
            (form.is_open_information_meeting, None, {}),
            (form.participation, None, {}),
            (form.sessions[0].form.start, None, {}),
        ]
        for field, hint, attrs in cases:
            ours = form_field(field, hint=hint, attrs=attrs)
            theirs = render_template_string(macro, f=field, hint=hint, attrs=attrs)
            if source == "macro":  # the page's macro: the reference's markup too
                reference = render_template_string(
                    JINJA_FIELD_MACRO + "{{ field(f, hint=hint, attrs=attrs) }}",
                    f=field,
                    hint=hint,
                    attrs=attrs,
                )
                assert _squeezed(theirs) == _squeezed(reference), field.name

            assert _squeezed(ours) == _squeezed(theirs), field.name
