"""The one set of rules for typed text: one-line fields and e-mail addresses.

Every way into the service (web forms, the JSON API, the pool import, the CLI) checks text with
these functions, so a value accepted in one place is accepted everywhere. A one-line field (a
name, a title, a municipality, an address) must not hold a line break or a NUL: such a value
would end up in a mail header, an ICS property or a CSV row and split it.

Addresses are checked for syntax only (no DNS: the service runs without internet). The reserved
``.test`` top-level domain is accepted so that the demo accounts (``member@demo.test``) can be
saved through every form.
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from app.services.messages import N_

#: Characters that break a line or a header: CR, LF, NUL, vertical tab, form feed, NEL and the
#: Unicode line and paragraph separators.
LINE_BREAKING = re.compile(r"[\r\n\x00\x0b\x0c\x85\u2028\u2029]")
#: NUL is refused in multi-line text as well: PostgreSQL cannot store it in a text column.
NUL = "\x00"
MAX_EMAIL_LENGTH = 254

ONE_LINE_ERROR = N_("Write this on one line (no line breaks).")
NUL_ERROR = N_("The text contains a character that cannot be stored (NUL).")
EMAIL_ERROR = N_("Invalid email address.")


def one_line_error(value: str | None) -> str | None:
    """Return a message id when ``value`` holds a line break or NUL, else None."""
    if value and LINE_BREAKING.search(value):
        return ONE_LINE_ERROR
    return None


def text_error(value: str | None) -> str | None:
    """Return a message id when multi-line ``value`` holds a NUL, else None."""
    if value and NUL in value:
        return NUL_ERROR
    return None


def email_error(value: str | None) -> str | None:
    """Return a message id when ``value`` is not a syntactically valid address, else None.

    An empty value is not an error here; whether the field is required is the caller's rule.
    """
    if not value:
        return None
    if len(value) > MAX_EMAIL_LENGTH or one_line_error(value):
        return EMAIL_ERROR
    try:
        validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return EMAIL_ERROR
    return None


def normalised_email(value: str) -> str:
    """Return the address as stored: stripped and lower-cased."""
    return value.strip().lower()
