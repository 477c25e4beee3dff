"""Print the notebooks a change touches, for `make test-quick` (one slug per line).

A change is what `git status` shows plus, on a branch other than main, the commits since
it left main. A notebook is touched by its source, its generated notebooks, its catalogue,
its exercise module or its message file; a change to the rest of the `autograder` package
(the platform every check runs on) touches every notebook. (`make test-quick NB=...`
chooses the notebooks without asking this script.)
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SLUG = re.compile(r"(\d\d)-[a-z]+(?:-[a-z]+)*")
NUMBERED = re.compile(r"/nb(\d\d)[_.]")


def git(*args: str) -> list[str]:
    run = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    return run.stdout.splitlines() if run.returncode == 0 else []


def changed_files() -> set[str]:
    files = {line[3:].split(" -> ")[-1] for line in git("status", "--porcelain")}
    branch = "".join(git("rev-parse", "--abbrev-ref", "HEAD"))
    if branch not in ("main", "HEAD") and git("rev-parse", "--verify", "--quiet", "main"):
        files |= set(git("diff", "--name-only", "main...HEAD"))
    return files


def notebooks_touched(files: set[str], slugs: list[str]) -> list[str]:
    by_number = {slug[:2]: slug for slug in slugs}
    touched = set()
    for name in files:
        if match := SLUG.search(name):
            touched.add(by_number.get(match.group(1), match.group(0)))
        elif name.startswith("autograder/") and (match := NUMBERED.search(name)):
            touched.add(by_number.get(match.group(1), ""))
        elif name.startswith("autograder/") and name.endswith(".py"):
            return slugs  # the platform: every check runs on it
    return sorted(t for t in touched if t in slugs)


def main() -> int:
    slugs = sorted(p.name for p in (REPO / "course" / "source").iterdir() if p.is_dir())
    for slug in notebooks_touched(changed_files(), slugs):
        print(slug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
