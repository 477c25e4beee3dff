"""Reference solutions, read from the generated solution notebooks (``solutions/``).

The source notebooks in ``course/source`` are the only place a solution is written;
``make notebooks`` copies them into ``solutions/NN-slug.ipynb``, and ``q.solution()`` shows
the cell whose nbgrader grade id the exercise names.
"""

from __future__ import annotations

import json
from pathlib import Path

SOLUTIONS_DIR = Path(__file__).resolve().parent.parent / "solutions"
SOURCE_DIR = Path(__file__).resolve().parent.parent / "course" / "source"


def reference_source(notebook: str, cell_id: str) -> str | None:
    """The solution cell's source, by nbgrader grade id (or nbformat cell id)."""
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
