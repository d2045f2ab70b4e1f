"""The compensation blueprint: members report, the council attests and pays, orderers see costs."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("compensation", __name__, url_prefix="/compensation")

# Route modules attach themselves to ``bp``.
from app.web.compensation import agreements, batches, claims, costs, settlement  # noqa: E402,F401
