"""Helpers for the JSON API tests: a token per user and a client that sends it."""

from __future__ import annotations

from app.models import User
from app.services.accounts.api_tokens import create_api_token


def token_for(factory, user: User, name: str = "test") -> str:
    """Create an API token for ``user`` and return its secret."""
    return create_api_token(session=factory.session, user=user, name=name, actor_id=None).secret


class ApiClient:
    """A test client that sends a bearer token (and JSON) with every call."""

    def __init__(self, app, secret: str | None, language: str = "en"):
        self.client = app.test_client()
        self.headers = {"Accept-Language": language}
        if secret:
            self.headers["Authorization"] = f"Bearer {secret}"

    def call(self, method: str, path: str, json=None, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, json=json, headers=headers, **kwargs)

    def get(self, path: str, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path: str, json=None, **kwargs):
        return self.call("POST", path, json=json, **kwargs)

    def put(self, path: str, json=None, **kwargs):
        return self.call("PUT", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.call("DELETE", path, **kwargs)


def api_as(app, factory, user: User) -> ApiClient:
    """Return an API client acting with a new token of ``user``."""
    return ApiClient(app, token_for(factory, user))
