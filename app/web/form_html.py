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
    """Make the WTForms widgets and labels write their attributes with ``html_params``."""
    core.html_params = html_params
    widgets.html_params = html_params
    core.Input.html_params = staticmethod(html_params)
    core.Button.html_params = staticmethod(html_params)
