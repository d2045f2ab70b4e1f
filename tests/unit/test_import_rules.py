"""The import rules of docs/architecture.md, checked by import-linter's contracts in pyproject."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "matching", "scheduling")
RUN_LINTER = "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the tree under ``root`` with the project's contracts."""
    return subprocess.run(
        [sys.executable, "-c", RUN_LINTER, "--no-cache"],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )


def copy_of_the_code(destination: Path) -> Path:
    """Copy the Python sources and the contracts to ``destination`` (templates left out)."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            destination / package,
            ignore=lambda folder, names: [
                n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()
            ],
        )
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def test_the_code_keeps_every_import_contract():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden_import", "contract"),
    [
        ("matching/taxonomy.py", "import app.services.pool.taxonomy", "Top-level packages"),
        ("scheduling/availability.py", "import app.services.pool.availability", "Top-level"),
        ("scheduling/ical.py", "import sqlmodel", "Pure modules of scheduling"),
        ("app/models/member.py", "import app.services.pool.profile", "Inside the app"),
        ("app/services/insight/metrics.py", "import app.services.pool.ages", "Pure computations"),
        ("app/services/pool/profile.py", "import app.web.member.views", "Inside the app"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(tmp_path, module, forbidden_import, contract):
    tree = copy_of_the_code(tmp_path)
    target = tree / module
    target.write_text(target.read_text() + f"\n{forbidden_import}  # deliberately forbidden\n")

    result = lint_imports(tree)

    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Broken contracts", 1)[1]
    assert contract in broken
