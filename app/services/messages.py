"""Marker for user-facing messages raised by services.

Services stay free of Flask; they mark English message ids with ``N_`` so that
``pybabel extract -k N_`` finds them, and the web layer translates them with ``gettext``.
"""


def N_(message: str) -> str:  # noqa: N802 (the conventional gettext marker name)
    """Return the message unchanged; marks it for extraction into the catalogue."""
    return message
