"""The maintainer documentation stays true: the package tree and the domain citations.

``docs/architecture.md`` lists the Python packages in a fenced block under "Package tree"; it must
match the folders (a package added or removed without updating the block fails here). Code and
documents cite the domain as ``docs/domain.md §N``; every such citation must name a section that
exists, and nothing may point at the old domain text kept outside the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "architecture.md"
DOMAIN = ROOT / "docs" / "domain.md"

#: Folders the tree must list at the top level, whether or not they are Python packages.
TOP_LEVEL = {"app", "matching", "scheduling", "migrations", "tests", "bench", "docs"}
#: Where references to the domain are looked for.
SCANNED = ("app", "matching", "scheduling", "tests", "bench", "docs", "README.md")
SKIPPED_FOLDERS = {"__pycache__", "node_modules"}
#: The old domain text outside the repository, spelled in pieces so this file does not match.
OLD_REFERENCES = ("shared/" + "DOMAIN", "DOMAIN" + ".md")

CITATION = re.compile(r"domain\.md\s*§(\d+(?:\.\d+)?)")
SECTION_HEADING = re.compile(r"^(#{2,3}) §(\d+(?:\.\d+)?) \S", re.MULTILINE)
TREE_BLOCK = re.compile(r"^## Package tree\n.*?^```text\n(.*?)^```", re.MULTILINE | re.DOTALL)


def documented_tree(text: str) -> dict[str, set[str]]:
    """Return folder path → names listed under it ("" for the top level) from the tree block."""
    found = TREE_BLOCK.search(text)
    assert found, 'docs/architecture.md has no ```text block under "## Package tree"'
    listed: dict[str, set[str]] = {"": set()}
    stack: list[str] = []
    for number, line in enumerate(found.group(1).splitlines(), start=1):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        name = line.split()[0]
        assert indent % 2 == 0 and indent // 2 <= len(stack), f"tree line {number}: bad indent"
        assert name.endswith("/"), f"tree line {number}: {name!r} does not end with '/'"
        stack = stack[: indent // 2]
        parent = "/".join(stack)
        listed[parent].add(name[:-1])
        stack.append(name[:-1])
        listed.setdefault("/".join(stack), set())
    return listed


def is_package(folder: Path) -> bool:
    return (folder / "__init__.py").is_file()


def packages_in(folder: Path) -> set[str]:
    """Return the names of the Python packages directly inside ``folder``."""
    return {
        child.name
        for child in folder.iterdir()
        if child.is_dir() and child.name not in SKIPPED_FOLDERS and is_package(child)
    }


def text_files():
    """Yield (path relative to the root, text) of every text file in the scanned places."""
    for place in SCANNED:
        path = ROOT / place
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in files:
            if not file.is_file() or SKIPPED_FOLDERS & set(file.relative_to(ROOT).parts):
                continue
            try:
                text = file.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # screenshots and other binary files
            yield file.relative_to(ROOT).as_posix(), text


def domain_sections() -> list[str]:
    return [number for _level, number in SECTION_HEADING.findall(DOMAIN.read_text("utf-8"))]


@pytest.fixture(scope="module")
def tree() -> dict[str, set[str]]:
    return documented_tree(ARCHITECTURE.read_text(encoding="utf-8"))


def test_the_tree_lists_the_top_level_folders_and_packages(tree):
    top_level_packages = packages_in(ROOT)

    assert TOP_LEVEL | top_level_packages <= tree[""]


def test_everything_the_tree_lists_exists(tree):
    missing = sorted(path for path in tree if path and not (ROOT / path).is_dir())

    assert missing == [], f"docs/architecture.md lists folders that do not exist: {missing}"


def test_every_package_under_a_listed_package_is_listed(tree):
    differences = {}
    for path, names in tree.items():
        folder = ROOT / path
        if not path or not is_package(folder):
            continue
        real = packages_in(folder)
        if names != real:
            differences[path] = {
                "not in the tree": sorted(real - names),
                "not a package": sorted(names - real),
            }

    assert differences == {}, f"update the tree in docs/architecture.md: {differences}"


def test_the_tree_reaches_every_capability_and_blueprint(tree):
    assert tree["app/services"] == packages_in(ROOT / "app" / "services")
    assert tree["app/web"] == packages_in(ROOT / "app" / "web")


def test_the_tree_parser_catches_an_added_and_a_removed_package():
    listed = documented_tree("## Package tree\n\n```text\napp/\n  web/  pages\n  ghost/\n```\n")

    assert listed == {"": {"app"}, "app": {"web", "ghost"}, "app/web": set(), "app/ghost": set()}
    assert listed["app"] - packages_in(ROOT / "app") == {"ghost"}
    assert packages_in(ROOT / "app") - listed["app"] >= {"models", "services"}


def test_no_file_points_at_the_old_domain_text():
    hits = [
        f"{path}:{number}"
        for path, text in text_files()
        for number, line in enumerate(text.splitlines(), start=1)
        if any(old in line for old in OLD_REFERENCES)
    ]

    assert hits == [], f"cite docs/domain.md §N instead: {hits}"


def test_the_domain_sections_are_numbered_in_order():
    numbers = domain_sections()
    top = [number for number in numbers if "." not in number]

    assert top == [str(n) for n in range(1, len(top) + 1)]
    for section in top:
        subsections = [n for n in numbers if n.startswith(section + ".")]
        assert subsections == [f"{section}.{n}" for n in range(1, len(subsections) + 1)]


def test_every_domain_citation_points_at_a_section():
    sections = set(domain_sections())
    cited = {
        f"{path}: §{number}"
        for path, text in text_files()
        for number in CITATION.findall(text)
        if number not in sections
    }
    own = DOMAIN.read_text(encoding="utf-8")
    cited |= {f"docs/domain.md: §{n}" for n in re.findall(r"§(\d+(?:\.\d+)?)", own)} - {
        f"docs/domain.md: §{n}" for n in sections
    }

    assert cited == set(), f"citations of sections docs/domain.md does not have: {sorted(cited)}"


def test_citations_are_found():
    sections = set(domain_sections())

    assert {"2", "5", "6"} <= sections
    assert CITATION.findall("see docs/domain.md §6.4 and docs/domain.md §5.") == ["6.4", "5"]
