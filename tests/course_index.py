"""What the tests need to know about the course: exercises, answer cells, test cells."""

from __future__ import annotations

import ast
import functools
import json
from dataclasses import dataclass
from pathlib import Path

from autograder import registry
from autograder.problem import AppExercise, Exercise
from autograder.result import Result
from tests import nbgrader_harness as harness
from tests.nbgrader_harness import Case

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "course" / "source"
ANSWERS = REPO / "tests" / "answers"


def exercises(notebook: str) -> list[Exercise]:
    return list(registry.exercises(notebook))


def all_exercises() -> list[Exercise]:
    return registry.all_exercises()


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
    return [case for notebook in registry.modules() for case in harness.load_cases(notebook)]


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

# What only nbgrader decides differs between the ways a test cell can end, the outcome
# kinds; and a cell can only end differently through a different check engine (the
# scenario, race, crash or build engine, or a prediction). So each way a cell can fail,
# per engine, is graded by nbgrader once for the whole course, on the first notebook whose
# catalogue has it; every notebook besides gets its reference (a pass, on every engine it
# uses), its untouched learner notebook, every case marked ``# e2e:`` and one wrong answer
# (docs/design.md, "Where each fact is proved").
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


def engine_of(case: Case) -> str:
    """The check engine that grades a case: ``prediction``, ``scenario`` (the default
    engine of app exercises) or the name of an exercise's own engine."""
    exercise = exercise_for(case)
    if not is_app(exercise):
        return "prediction"
    engine = getattr(exercise, "engine", None)
    return "scenario" if engine is None else engine.__name__


def notebooks_in_order() -> list[str]:
    return sorted(p.name for p in ANSWERS.iterdir() if p.is_dir())


# How a failing cell can end, as nbgrader sees it: "zero" and "partial" both end in a
# check that raises (partial adds a passing cell, so it is preferred); "full" is what the
# reference proves on every notebook.
FAILURES = {"zero": "wrong", "partial": "wrong", "not attempted": "not attempted"}
FAILURES |= {"timeout": "timeout", "crash": "crash"}
PREFERENCE = {"partial": 0, "zero": 1}  # of the wrong answers, partial first


def failure_of(case: Case) -> tuple[str, str] | None:
    """``(engine, how the cell fails)`` of a wrong answer; None for a correct one."""
    failure = FAILURES.get(outcome_kind(case))
    return None if failure is None else (engine_of(case), failure)


def e2e_sample(notebook: str) -> list[tuple[Case, str]]:
    """The catalogue cases nbgrader grades on every run, each with why it is there.

    Every case that says ``# e2e:`` (it proves something only nbgrader can); the first
    case of each (engine, failure) pair that no earlier notebook's sample holds; and, if
    none of these is a wrong answer, the notebook's first wrong answer (partial before
    zero, an app before a prediction), so that its nbgrader verdict meets the fast
    path's on this notebook's own test cells. The reference and the untouched notebook
    are always graded besides these.
    """
    return list(_course_sample().get(notebook, []))


@functools.cache
def _course_sample() -> dict[str, list[tuple[Case, str]]]:
    """Every notebook's sample, drawn in course order (a pair is covered once)."""
    covered: set[tuple[str, str]] = set()
    samples = {}
    for notebook in notebooks_in_order():
        cases = harness.load_cases(notebook)
        picked = [(case, f"e2e: {case.e2e}") for case in cases if case.e2e]
        covered |= {failure_of(case) for case, _ in picked} - {None}
        ranked = sorted(cases, key=lambda c: PREFERENCE.get(outcome_kind(c), 2))  # stable
        for case in ranked:
            pair = failure_of(case)
            if pair is not None and pair not in covered and not case.e2e:
                picked.append((case, f"first {pair[1]} answer of the {pair[0]} engine"))
                covered.add(pair)
        # this notebook's own app checks before its predictions (those are the
        # prediction engine's, proved on an earlier notebook)
        wrong = sorted(
            (c for c in ranked if failure_of(c) is not None),
            key=lambda c: engine_of(c) == "prediction",
        )
        if wrong and all(failure_of(c) is None for c, _ in picked):
            picked.append((wrong[0], f"this notebook's wrong answer ({outcome_kind(wrong[0])})"))
        samples[notebook] = picked
    return samples
