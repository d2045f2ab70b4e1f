"""matching is pure: no web, database or app imports, and scikit-learn only on training."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CODE = """
import sys
import matching, matching.__main__, matching.simulate
forbidden = {"flask", "sqlalchemy", "sqlmodel", "app", "scheduling", "sklearn"}
print(sorted({m.split(".")[0] for m in sys.modules} & forbidden))
"""


def test_importing_matching_pulls_in_nothing_forbidden():
    result = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, cwd=ROOT, check=True
    )

    assert result.stdout.strip() == "[]"
