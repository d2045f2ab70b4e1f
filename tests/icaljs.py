"""Run Mozilla's ical.js (via node) on a calendar and return what it read."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.databases import missing_part

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "ical_check.mjs"


def parse_with_icaljs(calendar: bytes | str) -> dict:
    """Return {method, events: [{uid, start, end, sequence, attendees, …}]} as ical.js reads it."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "ical.js").exists():
        missing_part("ical.js is not installed: install node and run `npm install` in the project")
    text = calendar.decode() if isinstance(calendar, bytes) else calendar
    done = subprocess.run(
        [node, str(SCRIPT)], input=text, capture_output=True, text=True, timeout=30, check=True
    )
    return json.loads(done.stdout)
