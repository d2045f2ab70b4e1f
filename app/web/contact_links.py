"""Phone numbers as people write them, turned into tel: links a phone can dial."""

from __future__ import annotations

import re

_NOT_DIALLED = re.compile(r"[^\d+]")


def phone_uri(number: str) -> str:
    """Return ``number`` as a ``tel:`` URI body: digits and a leading + (RFC 3966, global
    or local); spaces, dashes and brackets as people write them ("010-242 00 00") dropped,
    and the trunk zero written "(0)" after a country code, which is not dialled."""
    digits = _NOT_DIALLED.sub("", (number or "").replace("(0)", ""))
    return ("+" if digits.startswith("+") else "") + digits.replace("+", "")


def register_link_filters(app) -> None:
    """Make ``phone_uri`` available to the templates."""
    app.jinja_env.filters["phone_uri"] = phone_uri
