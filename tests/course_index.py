"""What the tests need to know about the course: exercises, answer cells, test cells."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from autograder.exercises import MODULES
from autograder.problem import AppExercise, Exercise
from autograder.result import Result
from tests import nbgrader_harness as harness
from tests.nbgrader_harness import Case

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "course" / "source"
ANSWERS = REPO / "tests" / "answers"


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
    """A graded test cell, and the check calls it makes, in order (visible, then hidden)."""

    grade_id: str
    exercise: str  # q1, q2, ...
    part: str | None
    points: float
    calls: list[tuple[tuple, dict]]  # (args, kwargs) of each `qN.check(...)` line


def check_calls(source: str) -> tuple[str, list[tuple[tuple, dict]]]:
    """``(exercise name, [(args, kwargs), ...])`` of a test cell made only of check calls.

    The fast path replays exactly these calls, so a test cell that does anything else
    (an assert, a loop, a second exercise) is refused here: what nbgrader runs and what
    the fast catalogue runs cannot drift apart unnoticed.
    """
    names, calls = set(), []
    for statement in ast.parse(source).body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        func = getattr(call, "func", None)
        if not (
            isinstance(call, ast.Call)
            and isinstance(func, ast.Attribute)
            and func.attr == "check"
            and isinstance(func.value, ast.Name)
        ):
            raise ValueError(f"a test cell may only call qN.check(...): {ast.unparse(statement)}")
        names.add(func.value.id)
        args = tuple(ast.literal_eval(a) for a in call.args)
        kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
        calls.append((args, kwargs))
    if len(names) != 1:
        raise ValueError(f"a test cell checks exactly one exercise, not {sorted(names)}")
    return names.pop(), calls


def graded_cells(notebook: str) -> list[GradedCell]:
    found = []
    for cell in source_cells(notebook):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("grade") or meta.get("solution"):
            continue
        exercise, calls = check_calls(cell_text(cell))
        part = calls[0][0][0] if calls[0][0] else None
        found.append(GradedCell(meta["grade_id"], exercise, part, meta.get("points", 0), calls))
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


def exercise_for(case: Case) -> Exercise:
    for exercise in exercises(case.assignment):
        if exercise.solution_cell == case.answer_id:
            return exercise
    raise LookupError(f"no exercise answers cell {case.answer_id} in {case.assignment}")


def load_cases() -> list[Case]:
    """Every case of the wrong-answer catalogue, of every notebook."""
    return [case for notebook in MODULES for case in harness.load_cases(notebook)]


def is_app(exercise: Exercise) -> bool:
    return isinstance(exercise, AppExercise)


# ------------------------------------------------------------------ the fast path


def fast_verdicts(case: Case, folder: Path) -> dict[str, Result]:
    """What every test cell of the case's exercise decides, without nbgrader.

    Each test cell's own check calls run as the cell runs them (visible, then hidden;
    the first failure ends the cell), through ``evaluate``, which ``check`` calls with
    the same arguments. Returns ``{grade id: the cell's deciding Result}``.
    """
    exercise = exercise_for(case)
    cells = [c for c in graded_cells(case.assignment) if c.exercise == exercise.name]
    if is_app(exercise):
        app = folder / exercise.app_file
        app.write_text(case.body + "\n", encoding="utf-8")
        target = {"app": app}
    else:
        namespace: dict = {}
        try:
            exec(compile(case.body, "<answer cell>", "exec"), namespace)  # noqa: S102 - test input
        except Exception:  # noqa: BLE001 - a broken cell defines nothing, like in a notebook
            namespace = {}
        target = {"namespace": namespace}
    verdicts = {}
    for cell in cells:
        for args, kwargs in cell.calls:
            result = exercise.evaluate(*args, **kwargs, **target)
            if not result.passed:
                break
        verdicts[cell.grade_id] = result
    return verdicts


def expected_cell_scores(case: Case) -> dict[str, float]:
    """The points of every test cell of the case's exercise (unlisted cells: full)."""
    name = exercise_for(case).name
    return {
        c.grade_id: case.expect.get(c.grade_id, c.points)
        for c in graded_cells(case.assignment)
        if c.exercise == name
    }


# ------------------------------------------------------------------ the end-to-end sample

# One case of each outcome kind is graded by nbgrader on every run (docs/design.md,
# "Where each fact is proved"): what only nbgrader decides differs between these kinds.
OUTCOME_KINDS = ("full", "zero", "partial", "not attempted", "timeout", "crash")
CRASH_REASONS = {"app_crashed_at_start", "process_exited"}


def outcome_kind(case: Case) -> str:
    if case.reason == "timeout":
        return "timeout"
    if case.reason in CRASH_REASONS:
        return "crash"
    if case.reason == "not_attempted":
        return "not attempted"
    points = {c.grade_id: c.points for c in graded_cells(case.assignment)}
    scores = expected_cell_scores(case)
    if all(score == points[gid] for gid, score in scores.items()):
        return "full"
    if all(score == 0 for score in scores.values()):
        return "zero"
    return "partial"


def e2e_sample(notebook: str) -> list[tuple[Case, str]]:
    """The catalogue cases nbgrader grades on every run, each with why it is there.

    Every case that says ``# e2e:`` (it proves something only nbgrader can), then the
    first case of each outcome kind that is not covered yet. The reference and the
    untouched notebook are always graded besides these.
    """
    cases = harness.load_cases(notebook)
    picked = [(case, f"e2e: {case.e2e}") for case in cases if case.e2e]
    covered = {outcome_kind(case) for case, _ in picked}
    for kind in OUTCOME_KINDS:
        if kind in covered:
            continue
        first = next((c for c in cases if outcome_kind(c) == kind), None)
        if first is not None:
            picked.append((first, f"outcome kind: {kind}"))
            covered.add(kind)
    return picked
