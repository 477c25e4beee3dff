"""What the tests need to know about the course: exercises, answer cells, test cells."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from autograder.exercises import MODULES
from autograder.problem import AppExercise, Exercise

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "course" / "source"
ANSWERS = REPO / "tests" / "answers"
_CHECK_CALL = re.compile(r"^(q\d+)\.check\((?:\"(\w+)\")?")


def exercises(notebook: str) -> list[Exercise]:
    module = import_module(MODULES[notebook])
    return [v for v in vars(module).values() if isinstance(v, Exercise)]


def all_exercises() -> list[Exercise]:
    return [ex for notebook in MODULES for ex in exercises(notebook)]


def source_cells(notebook: str) -> list[dict]:
    path = SOURCE / notebook / f"{notebook}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def cell_text(cell: dict) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


@dataclass
class GradedCell:
    grade_id: str
    exercise: str  # q1, q2, ...
    part: str | None
    points: float


def graded_cells(notebook: str) -> list[GradedCell]:
    found = []
    for cell in source_cells(notebook):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("grade") or meta.get("solution"):
            continue
        match = _CHECK_CALL.match(cell_text(cell).strip())
        if match:
            found.append(GradedCell(meta["grade_id"], match[1], match[2], meta.get("points", 0)))
    return found


def reference_body(exercise: Exercise) -> str:
    """The reference answer as it goes into the app file (no %%writefile line)."""
    from autograder.solutions import reference_source

    text = reference_source(exercise.notebook, exercise.solution_cell)
    assert text is not None, f"no solution cell {exercise.solution_cell} in {exercise.notebook}"
    lines = text.splitlines()
    if lines and lines[0].startswith("%%writefile"):
        lines = lines[1:]
    return "\n".join(lines) + "\n"


@dataclass
class Case:
    notebook: str
    answer_cell: str
    name: str
    expect: dict[str, float]
    reason: str
    body: str
    path: Path


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(ANSWERS.glob("*/*/*.py")):
        header, expect, reason = True, {}, None
        body_lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if header and line.startswith("# expect:"):
                for pair in line.split(":", 1)[1].split():
                    key, value = pair.split("=")
                    expect[key] = float(value)
            elif header and line.startswith("# reason:"):
                reason = line.split(":", 1)[1].strip()
            else:
                header = False
                body_lines.append(line)
        cases.append(
            Case(
                path.parent.parent.name,
                path.parent.name,
                path.stem,
                expect,
                reason,
                "\n".join(body_lines).strip("\n") + "\n",
                path,
            )
        )
    return cases


def exercise_for(case: Case) -> Exercise:
    for exercise in exercises(case.notebook):
        if exercise.solution_cell == case.answer_cell:
            return exercise
    raise LookupError(f"no exercise answers cell {case.answer_cell} in {case.notebook}")


def is_app(exercise: Exercise) -> bool:
    return isinstance(exercise, AppExercise)
