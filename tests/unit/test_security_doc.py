"""The threat model names tests that exist, and covers every finding of issue 17.

``docs/security.md`` proves each control with a test named ``path::test_name`` (or
``…::test_name`` for another test of the file just named). A renamed or removed test that the
document still cites fails here, so the document cannot claim a proof that is gone.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECURITY = ROOT / "docs" / "security.md"
CITED = re.compile(r"`((?:integration|unit)/[\w/]+\.py)(?:::(\w+))?`|`…::(\w+)`")
FINDING_ROW = re.compile(r"^\| (\d+) \| [^|]+ \| [^|]+ \| [^|]*`integration/", re.MULTILINE)


def cited_tests() -> list[tuple[str, str]]:
    """Return (test file, test name) for every test the document names."""
    cited, current = [], None
    for path, name, following in CITED.findall(SECURITY.read_text(encoding="utf-8")):
        current = path or current
        if name or following:
            cited.append((current, name or following))
    return cited


def test_every_named_test_exists():
    cited = cited_tests()
    missing = [
        (path, name)
        for path, name in cited
        if f"def {name}(" not in (ROOT / "tests" / path).read_text(encoding="utf-8")
    ]

    assert len(cited) > 40
    assert missing == []


def test_every_finding_of_issue_17_has_a_regression_test():
    findings = [int(number) for number in FINDING_ROW.findall(SECURITY.read_text("utf-8"))]

    assert findings == list(range(1, 14))


def test_the_readme_links_the_threat_model():
    assert "(docs/security.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
