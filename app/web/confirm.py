"""A confirmation step before a destructive form does anything, with or without JavaScript.

A destructive form carries ``data-confirm`` and a hidden ``confirmed`` field (the
``confirm_dialog`` macro in ``templates/_confirm.html`` renders both and the ``<dialog>``).
With JavaScript, ``static/js/confirm.js`` opens the dialog on submit and posts the form with
``confirmed=1`` only when the person confirms. Without it, the view sees no ``confirmed=1``
and answers with ``confirmation_page``: what will happen, who is told, a danger-styled button
that re-posts the same fields (CSRF token included) with ``confirmed=1``, and a link back.
The server is the guard either way: a post without ``confirmed=1`` changes nothing.

Views call it after validating the form (errors first, then the question)::

    if not form.validate_on_submit():
        return render_page_with_errors(...)
    if not is_confirmed():
        return confirmation_page(DECLINE, back_url=url_for(...))
    do_it(...)
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request

#: The form field a confirmed post carries, and its value.
CONFIRMED_FIELD = "confirmed"
CONFIRMED_VALUE = "1"


@dataclass(frozen=True)
class Confirmation:
    """What a destructive action will do, asked before it is done (lazy strings)."""

    #: The question, e.g. "Decline the request?" (the page's and the dialog's heading).
    question: str
    #: What will happen and who is told, one sentence each.
    effects: tuple[str, ...]
    #: The danger button's text, e.g. "Yes, decline the request".
    confirm_label: str


def is_confirmed() -> bool:
    """Return whether the posted form says the person confirmed."""
    return request.form.get(CONFIRMED_FIELD) == CONFIRMED_VALUE


def posted_fields() -> list[tuple[str, str]]:
    """Return the posted fields to re-post, without the confirmation field."""
    return [
        (name, value) for name, value in request.form.items(multi=True) if name != CONFIRMED_FIELD
    ]


def confirmation_page(confirmation: Confirmation, *, back_url: str, shown: dict | None = None):
    """Render the no-JavaScript confirmation page for the current post (nothing is done).

    ``shown`` maps a label to posted text worth repeating (the message the orderer will get).
    """
    return render_template(
        "confirm.html",
        confirmation=confirmation,
        fields=posted_fields(),
        action=request.path,
        back_url=back_url,
        shown=shown or {},
        title=confirmation.question,
    )
