"""A class build for learners: ``make release`` (``python -m autograder.class_build OUT``).

The public repository is a self-paced course: it holds the reference solutions
(``solutions/``, ``course/source/``) and the hidden seeds, and ``q.solution()`` shows the
reference. A graded class installs this build instead, on the hub the learners use
(docs/instructors.md, section 5):

- ``notebooks/``: the learner notebooks (no solutions, no hidden tests);
- ``autograder/``: the package, with every hidden seed removed (``HIDDEN_SEEDS = ()``)
  and the marker module ``autograder/_class_build.py``, so ``q.solution()`` says that
  solutions are off for the class whatever the environment says;
- ``pyproject.toml``, ``requirements.txt``, a short README: ``pip install OUT`` works.

Nothing else is copied: no ``solutions/``, no ``course/``, no ``tests/``. The build then
imports itself in a fresh interpreter and fails unless no exercise has a hidden seed
left and ``solution()`` is off.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "autograder"
MARKER = "_class_build.py"
# Every place a hidden seed is written: the exercise modules' HIDDEN_SEEDS and the
# default of AppExercise.seeds_hidden. The self-check below catches any other.
SEED_LINES = [
    (re.compile(r"^(HIDDEN_SEEDS\s*=\s*).*$", re.M), r"\g<1>()  # class build: none"),
    (
        re.compile(r"^(\s+seeds_hidden: tuple\[int, \.\.\.\] = ).*$", re.M),
        r"\g<1>()  # class build: none",
    ),
]
README = """# Stateless by design: class build

The learner edition of the course for a graded class: the notebooks in `notebooks/` and
the `autograder` package that checks them. Solutions and hidden tests stay with the
instructor; `q.solution()` says so.

    pip install .
    jupyter lab notebooks/00-start-here.ipynb
"""

SELF_CHECK = """
import importlib, json
from autograder import solutions
from autograder.exercises import MODULES
from autograder.problem import Exercise
seeds = {}
for module in MODULES.values():
    for name, value in vars(importlib.import_module(module)).items():
        if isinstance(value, Exercise) and getattr(value, "seeds_hidden", ()):
            seeds[module + "." + name] = list(value.seeds_hidden)
print(json.dumps({"seeds": seeds, "solutions": solutions.solutions_enabled(),
                  "class_build": solutions.class_build(), "file": solutions.__file__}))
"""


class ReleaseError(RuntimeError):
    """The class build would give something away; nothing usable was written."""


def build(out: Path) -> Path:
    out = Path(out).resolve()
    if out == ROOT or out in ROOT.parents:
        raise ReleaseError(f"refusing to build into {out}: it holds the course itself")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", MARKER)
    shutil.copytree(PACKAGE, out / "autograder", ignore=ignore)
    for path in (out / "autograder").rglob("*.py"):
        text = path.read_text("utf-8")
        for pattern, replacement in SEED_LINES:
            text = pattern.sub(replacement, text)
        path.write_text(text, "utf-8")
    (out / "autograder" / MARKER).write_text(
        '"""This package is a class build (make release): solutions are off."""\n', "utf-8"
    )
    shutil.copytree(ROOT / "notebooks", out / "notebooks", ignore=shutil.ignore_patterns("*.py"))
    for name in ("pyproject.toml", "requirements.txt"):
        shutil.copy(ROOT / name, out / name)
    (out / "README.md").write_text(README, "utf-8")
    _self_check(out)
    return out


def _self_check(out: Path) -> None:
    found = sorted(
        str(p.relative_to(out))
        for p in out.rglob("*")
        if p.name in ("solutions", "source", "tests")
        or (p.suffix == ".ipynb" and "BEGIN SOLUTION" in p.read_text("utf-8", errors="replace"))
    )
    if found:
        raise ReleaseError(f"the class build holds instructor material: {found}")
    run = subprocess.run(
        # Not -I: the build's folder (the current one) must come first on sys.path.
        [sys.executable, "-B", "-E", "-s", "-c", SELF_CHECK],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if run.returncode != 0:
        raise ReleaseError(f"the class build does not import:\n{run.stderr[-2000:]}")
    state = json.loads(run.stdout.strip().splitlines()[-1])
    if not Path(state["file"]).resolve().is_relative_to(out):
        raise ReleaseError(f"the self-check imported another autograder: {state['file']}")
    if state["seeds"] or state["solutions"] or not state["class_build"]:
        raise ReleaseError(f"the class build gives something away: {state}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.class_build",
        description="Build the learners' edition of the course for a graded class.",
    )
    parser.add_argument("out", nargs="?", default="build/class", help="output folder")
    args = parser.parse_args(argv)
    try:
        out = build(Path(args.out))
    except ReleaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"class build in {out}: pip install {out}  (no solutions, no hidden seeds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
