"""Templates translate with the locale in force, also inside ``force_locale`` (app/i18n.py)."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale

from app import create_app

TEXT = '{{ _("Sign out") }}|{{ ngettext("%(num)s day", "%(num)s days", 2) }}'


def test_the_remembered_catalogue_follows_force_locale():
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 48, "DATABASE_URL": "sqlite://"})
    with app.test_request_context():
        with force_locale("en"):
            english = render_template_string(TEXT)
        swedish = render_template_string(TEXT)
        with force_locale("en"):
            assert render_template_string(TEXT) == english
        assert render_template_string(TEXT) == swedish
    assert english.startswith("Sign out|")
    assert swedish != english
