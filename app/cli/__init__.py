"""The ``levbib`` command: the app's Flask CLI."""
