from tests.html import csrf_token


def test_ui_is_swedish_by_default_with_an_english_switch(client):
    swedish = client.get("/login").get_data(as_text=True)
    token = csrf_token(swedish)

    client.post("/language/en", data={"csrf_token": token, "next": "/login"})
    english = client.get("/login").get_data(as_text=True)

    assert '<html lang="sv">' in swedish
    assert "Logga in" in swedish
    assert '<html lang="en">' in english
    assert "Sign in" in english


def test_unknown_language_is_ignored(client):
    token = csrf_token(client.get("/login").get_data(as_text=True))

    response = client.post(
        "/language/xx", data={"csrf_token": token, "next": "https://evil.example/"}
    )

    assert response.location == "/"
    assert '<html lang="sv">' in client.get("/login").get_data(as_text=True)


def test_template_translations_follow_a_forced_language_and_come_back(app):
    """Pages read the request's translations once; mail in another language must still switch."""
    from flask_babel import force_locale, gettext

    from app.i18n import lazy_gettext

    page = app.jinja_env.from_string(
        "{{ _('Requests') }}|{{ ngettext('%(num)s person', '%(num)s people', 3) }}"
        "|{{ _('%(share)s %%', share=5) }}|{{ amount|number }}"
    )
    lazy = lazy_gettext("Requests")
    with app.test_request_context("/"):
        swedish = page.render(amount=1234567)
        with force_locale("en"):
            english = page.render(amount=1234567)
            english_python = (gettext("Requests"), str(lazy))
        again = page.render(amount=1234567)
        swedish_python = (gettext("Requests"), str(lazy))

    assert swedish == again == "Förfrågningar|3 personer|5 %|1\u00a0234\u00a0567"
    assert english == "Requests|3 people|5 %|1,234,567"
    assert english_python == ("Requests", "Requests")
    assert swedish_python == ("Förfrågningar", "Förfrågningar")


def test_local_time_filters_take_a_naive_moment_as_utc(app):
    from datetime import UTC, datetime

    page = app.jinja_env.from_string("{{ moment|localtime }}|{{ moment|longdate }}")
    with app.test_request_context("/"):
        naive = page.render(moment=datetime(2027, 1, 5, 23, 30))
        aware = page.render(moment=datetime(2027, 1, 5, 23, 30, tzinfo=UTC))

    assert naive == aware == "2027-01-06 00:30|onsdag 6 januari 2027"
