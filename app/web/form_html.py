"""A faster drop-in for WTForms' ``html_params``, the attribute writer of every form widget.

WTForms builds each attribute with ``Markup('{k}="{v}"').format(...)``, which goes through
``string.Formatter`` and escapes twice; a form such as the request form writes some 350
attributes, so that is most of its page's CPU. ``html_params`` below returns the very same
markup (same order, same escaping, same boolean attributes) with plain string work.
``install`` puts it where the widgets and labels look it up.
"""

from __future__ import annotations

from functools import cache

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets import core

#: WTForms' own writer, kept to check ``html_params`` against (tests/unit/test_form_html.py).
WTFORMS_HTML_PARAMS = core.html_params
_QUOTE = Markup('"')
_QUOT = Markup("&quot;")


@cache
def _attribute_name(key: str) -> str:
    """Return the written, escaped name of keyword ``key`` (a few dozen names in all)."""
    return str(escape(core.clean_key(key)))


def html_params(**kwargs) -> Markup:
    """Return ``kwargs`` as HTML attributes, exactly as ``wtforms.widgets.html_params`` does."""
    params = []
    for key, value in sorted(kwargs.items()):
        if value is True:
            params.append(_attribute_name(key))
        elif value is not False:
            params.append(f'{_attribute_name(key)}="{escape(value).replace(_QUOTE, _QUOT)}"')
    return Markup(" ".join(params))


def install() -> None:
    """Make the WTForms widgets and labels write their attributes with ``html_params``.

    Every select field without a widget of its own writes its options with ``FastSelect``
    (app/web/widgets.py): the same markup.
    """
    from wtforms.fields import choices

    from app.web.widgets import FastSelect

    core.html_params = html_params
    widgets.html_params = html_params
    core.Input.html_params = staticmethod(html_params)
    core.Button.html_params = staticmethod(html_params)
    choices.SelectField.widget = FastSelect()
    choices.SelectMultipleField.widget = FastSelect(multiple=True)


def form_field(field, hint=None, attrs=None) -> Markup:
    """Return a form field as the ``field`` macro of ``_macros.html`` writes it, in Python.

    The same markup up to white space: label (after the box for a checkbox), hint, the input
    with ``aria-describedby`` naming the hint and the error and ``aria-invalid`` on an error,
    then the error. The request form has some fifty fields; a Jinja macro call per field cost
    more than the fields themselves.
    """
    merged = dict(attrs or {})
    described = []
    if hint:
        described.append(f"{field.id}-hint")
    if field.errors:
        described.append(f"{field.id}-error")
        merged["aria-invalid"] = "true"
    if described:
        merged["aria-describedby"] = " ".join(described)
    field_id = escape(field.id)
    hint_html = f'\n<p class="hint" id="{field_id}-hint">{escape(hint)}</p>' if hint else ""
    widget, label = field(**merged), field.label()
    if field.type == "BooleanField":
        body = f"{widget} {label}{hint_html}"
    else:
        body = f"{label}{hint_html}\n{widget}"
    error = ""
    if field.errors:
        words = "".join(f"{escape(message)} " for message in field.errors)
        error = f'\n<p class="error" id="{field_id}-error">{words}</p>'
    css = "field has-error" if field.errors else "field"
    return Markup(f'<div class="{css}">\n{body}{error}\n</div>')
