"""Rules read off the source: one reader of the environment (app/config.py), one clock (app/clock.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The only module that reads the environment.
CONFIG = "app/config.py"
#: The only modules that may name the default zone or ask the system for the time.
CLOCK_HOMES = {"app/clock.py", "app/config.py"}
ENVIRONMENT_NAMES = {"environ", "environb", "getenv", "getenvb"}
#: Calls that read the server's clock or its local zone instead of the service's clock.
CLOCK_CALLS = {"date.today", "datetime.today", "datetime.now", "datetime.utcnow"}
DEFAULT_ZONE = "Europe/Stockholm"


def sources(*packages: str) -> dict[str, ast.Module]:
    """Return the parsed modules under ``packages``, keyed by path relative to the root."""
    return {
        path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(), filename=str(path))
        for package in packages
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _dotted(node: ast.AST) -> str:
    """Return ``a.b.c`` for a name or attribute chain ("" for anything else)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def environment_reads(tree: ast.Module) -> list[int]:
    """Return the lines that touch ``os.environ``/``os.getenv`` or import them from ``os``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _dotted(node.value) == "os":
            if node.attr in ENVIRONMENT_NAMES:
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            if any(alias.name in ENVIRONMENT_NAMES for alias in node.names):
                lines.append(node.lineno)
    return lines


def clock_breaches(tree: ast.Module) -> list[tuple[int, str]]:
    """Return (line, what) for system-clock calls and for the default zone's name."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            dotted = _dotted(node.func)  # date.today, or datetime.date.today via the module
            names = {dotted, dotted.removeprefix("datetime.")} & CLOCK_CALLS
            if names:
                found.append((node.lineno, f"{names.pop()}()"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if DEFAULT_ZONE in node.value:
                found.append((node.lineno, DEFAULT_ZONE))
    return found


@pytest.mark.parametrize(
    ("code", "lines"),
    [
        ("import os\nos.environ.get('X')", [2]),
        ("import os\nx = os.environ['X']", [2]),
        ("import os\nos.getenv('X', '')", [2]),
        ("from os import environ", [1]),
        ("from os import getenv as read", [1]),
        ("import os\nos.path.join('a', 'b')", []),
    ],
)
def test_the_environment_scan_sees_every_way_of_reading(code, lines):
    assert environment_reads(ast.parse(code)) == lines


@pytest.mark.parametrize(
    ("code", "found"),
    [
        ("from datetime import date\ndate.today()", [(2, "date.today()")]),
        ("import datetime\ndatetime.date.today()", [(2, "date.today()")]),
        ("from datetime import datetime\ndatetime.now()", [(2, "datetime.now()")]),
        ("from datetime import UTC, datetime\ndatetime.now(UTC)", [(2, "datetime.now()")]),
        ("from datetime import datetime\ndatetime.utcnow()", [(2, "datetime.utcnow()")]),
        ("from zoneinfo import ZoneInfo\nZoneInfo('Europe/Stockholm')", [(2, DEFAULT_ZONE)]),
        ("from app import clock\nclock.today(); clock.now()", []),
    ],
)
def test_the_clock_scan_sees_the_system_clock_and_the_zone_name(code, found):
    assert clock_breaches(ast.parse(code)) == found


def test_only_app_config_reads_the_environment():
    trees = sources("app", "scheduling", "matching")
    readers = {path: lines for path, tree in trees.items() if (lines := environment_reads(tree))}

    assert CONFIG in readers
    assert [path for path in readers if path != CONFIG] == []


def test_only_the_clock_and_the_config_know_the_zone_or_ask_the_system_for_the_time():
    trees = sources("app")
    breaches = {
        path: found
        for path, tree in trees.items()
        if path not in CLOCK_HOMES and (found := clock_breaches(tree))
    }

    assert clock_breaches(trees["app/clock.py"]) != []
    assert breaches == {}
