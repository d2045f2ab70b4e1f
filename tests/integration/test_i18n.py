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
