"""docs/design.md's table of the package's layers matches the code: every module it names
exists, and every module of the package is named (a folder entry such as ``messages/``
names everything in it)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "autograder"
ROW = re.compile(r"^\| [a-z]+ \| `([^`]+)` \|", re.M)


def named() -> list[str]:
    text = (REPO / "docs" / "design.md").read_text(encoding="utf-8")
    return ROW.findall(text)


def modules() -> list[str]:
    return sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py"
    )


def test_the_table_is_found():
    assert len(named()) > 30


def test_every_module_named_in_the_table_exists():
    missing = [name for name in named() if not (PACKAGE / name).exists()]
    assert missing == []


def test_every_module_of_the_package_is_named_in_the_table():
    entries = named()
    folders = tuple(entry for entry in entries if entry.endswith("/"))
    unnamed = [m for m in modules() if m not in entries and not m.startswith(folders)]
    assert unnamed == []
