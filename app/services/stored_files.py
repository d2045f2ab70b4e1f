"""Uploaded files kept on disk under a folder: a random stored name, read back by that name.

Receipts (``compensation/receipts.py``) and request material (``journey/materials.py``) store
their files this way; the database row keeps the stored name, never a path.
"""

from __future__ import annotations

import secrets
from pathlib import Path


def store_file(folder: Path, data: bytes, suffix: str) -> str:
    """Write ``data`` under a new random name ending in ``suffix``; return that name."""
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16) + suffix
    (folder / stored).write_bytes(data)
    return stored


def read_stored_file(folder: Path, stored_name: str) -> bytes | None:
    """Return a stored file's bytes, or None when it is gone (the name never leaves ``folder``)."""
    path = folder / Path(stored_name).name
    return path.read_bytes() if stored_name and path.is_file() else None
