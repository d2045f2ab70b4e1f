"""Pages reached by a secret link (surveys, reviews): the secret must not travel on."""


def keep_token_private(response):
    """Send no referrer (the secret is in the URL) and keep the page out of shared caches."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response
