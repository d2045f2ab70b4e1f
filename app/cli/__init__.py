"""The ``levbib`` command: the app's Flask CLI (``main`` is the console script)."""

from app.cli.commands import main

__all__ = ["main"]
