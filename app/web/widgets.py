"""Cheaper rendering of WTForms fields, byte for byte the same markup.

WTForms builds every attribute list through ``html_params``, which formats each attribute with
``Markup.format`` (Python's ``string.Formatter``): on the member's pages, with a dozen fields
and a taxonomy select repeated, that was a third of the page's CPU. ``html_params`` here writes
the same text with plain string operations, and ``install_html_params`` puts it where WTForms
looks it up. ``FastSelect`` also writes each ``<option>`` directly for the plain case (no option
groups, no per-option attributes) and leaves every other case to ``Select``.
"""

from __future__ import annotations

import wtforms.widgets
import wtforms.widgets.core
from markupsafe import Markup, escape
from wtforms.widgets import Select
from wtforms.widgets.core import clean_key

#: WTForms' own ``html_params``, kept for comparison (tests/unit/app/test_fast_select.py).
WTFORMS_HTML_PARAMS = wtforms.widgets.core.html_params


def html_params(**kwargs) -> Markup:
    """Return what ``wtforms.widgets.html_params`` returns, without ``Markup.format``."""
    params = []
    for key, value in sorted(kwargs.items()):
        if value is False:
            continue
        name = escape(clean_key(key))
        if value is True:
            params.append(name)
        else:
            text = str(escape(value)).replace('"', "&quot;")
            params.append(f'{name}="{text}"')
    return Markup(" ".join(params))


def install_html_params() -> None:
    """Make WTForms' widgets and labels use ``html_params`` above (same output, less CPU)."""
    wtforms.widgets.core.html_params = html_params
    wtforms.widgets.html_params = html_params
    wtforms.widgets.core.Input.html_params = staticmethod(html_params)
    wtforms.widgets.core.Button.html_params = staticmethod(html_params)


def _attribute(value) -> str:
    """Return ``value`` escaped as ``html_params`` escapes an attribute value."""
    if type(value) is int:
        return str(value)
    text = str(escape(str(value) if isinstance(value, bool) else value))
    return text.replace('"', "&quot;")


class FastSelect(Select):
    """``Select`` with the same markup, rendered without ``html_params`` per option."""

    def __call__(self, field, **kwargs):
        if field.has_groups():
            return super().__call__(field, **kwargs)
        choices = list(field._iter_choices_normalized())
        if any(choice.render_kw for choice in choices):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = getattr(field, "flags", {})
        for name in dir(flags):
            if name in self.validation_attrs and name not in kwargs:
                kwargs[name] = getattr(flags, name)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for choice in choices:
            label = escape(choice.label or choice.value)
            selected = "selected " if choice.selected else ""
            html.append(f'<option {selected}value="{_attribute(choice.value)}">{label}</option>')
        html.append("</select>")
        return Markup("".join(html))
