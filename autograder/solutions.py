"""Reference solutions, read from the generated solution notebooks (``solutions/``).

The source notebooks in ``course/source`` are the only place a solution is written;
``make notebooks`` copies them into ``solutions/NN-slug.ipynb``, and ``q.solution()`` shows
the cell whose nbgrader grade id the exercise names.

A class build for learners (``make release``, :mod:`autograder.class_build`) has neither
folder, and its package holds the marker module ``autograder._class_build``: there
``solution()`` says solutions are off for the class, whatever the environment says.
Self-paced installs may still switch them off with ``AUTOGRADER_SOLUTIONS=off``; no
variable switches them on.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

SOLUTIONS_DIR = Path(__file__).resolve().parent.parent / "solutions"
SOURCE_DIR = Path(__file__).resolve().parent.parent / "course" / "source"
SOLUTIONS_SWITCH = "AUTOGRADER_SOLUTIONS"  # off-only: "off" hides them in a self-paced copy
CLASS_BUILD_MARKER = "autograder._class_build"


def class_build() -> bool:
    """True in a learners' class build (it ships the marker module, and no solutions)."""
    return importlib.util.find_spec(CLASS_BUILD_MARKER) is not None


def solutions_enabled() -> bool:
    if class_build():
        return False
    return os.environ.get(SOLUTIONS_SWITCH, "on").lower() not in ("off", "0", "false", "no")


def reference_source(notebook: str, cell_id: str) -> str | None:
    """The solution cell's source, by nbgrader grade id (or nbformat cell id)."""
    if class_build():
        return None
    for path in (SOLUTIONS_DIR / f"{notebook}.ipynb", SOURCE_DIR / notebook / f"{notebook}.ipynb"):
        if not path.exists():
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if cell_id in (grade_id, cell.get("id")):
                source = cell["source"]
                text = "".join(source) if isinstance(source, list) else source
                return "\n".join(
                    line
                    for line in text.splitlines()
                    if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
                )
    return None
