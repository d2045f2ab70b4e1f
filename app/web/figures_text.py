"""Missing yearly figures in words: which figure, for which year, in the visitor's language.

The fee engine raises ``fees.MissingFigure`` (kind and year) rather than computing with a gap;
pages that can show part of an amount catch it themselves, and anything that does not is
answered here with a page naming the figure, never a 500.
"""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext

from app.db import mark_rollback
from app.services.compensation import fees
from app.services.compensation.figures import missing_figure_message


def missing_figure_text(error: fees.MissingFigure) -> str:
    """Return the translated sentence naming the missing figure and its year."""
    message, values = missing_figure_message(error)
    return gettext(message, **values)


def missing_figure_texts(errors) -> list[str]:
    """Return one sentence per missing figure (kind and year), each once."""
    seen: dict[tuple[str, int], str] = {}
    for error in errors:
        seen.setdefault((error.kind, error.year), missing_figure_text(error))
    return [seen[key] for key in sorted(seen)]


def register_missing_figures(app: Flask) -> None:
    """Offer the sentences to templates and answer an uncaught missing figure with a page."""
    app.jinja_env.globals["missing_figure_text"] = missing_figure_text

    @app.errorhandler(fees.MissingFigure)
    def missing_figure(error):
        mark_rollback()
        page = render_template("errors/missing_figure.html", message=missing_figure_text(error))
        return page, 409
