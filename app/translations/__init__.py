"""Message catalogues; ``compile_catalogues`` builds the .mo files from the committed .po files."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CATALOGUE_DIR = Path(__file__).resolve().parent


def compile_catalogues() -> list[Path]:
    """Compile every stale .po catalogue to .mo (like ``pybabel compile``); return those written."""
    written = []
    for po_path in CATALOGUE_DIR.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalogue)
        written.append(mo_path)
    return written
