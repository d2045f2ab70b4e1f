"""Tiny helpers to read the app's HTML in tests."""

from __future__ import annotations

import re


def csrf_token(html: str) -> str | None:
    """Return the first CSRF token in a page, or None."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    return match.group(1) if match else None
