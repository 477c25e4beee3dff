"""The wrong-answer catalogue, checked fast (no nbgrader): each case fails for its reason.

For every case in tests/answers, the hidden check of every part runs on the case's
answer. The first failing part must report the declared reason, and every test cell the
case lists must pass or fail as its expected points say. The end-to-end test then proves
that nbgrader gives exactly those points.
"""

from __future__ import annotations

import pytest

from tests.course_index import exercise_for, graded_cells, is_app, load_cases

CASES = load_cases()


def _evaluate_all_parts(exercise, body, tmp_path):
    if not is_app(exercise):
        namespace: dict = {}
        try:
            exec(compile(body, "<answer cell>", "exec"), namespace)  # noqa: S102 - test input
        except Exception:  # noqa: BLE001 - a broken cell defines nothing, like in a notebook
            namespace = {}
        return {None: exercise.evaluate(namespace=namespace, hidden=True)}
    app = tmp_path / exercise.app_file
    app.write_text(body)
    return {part: exercise.evaluate(part, hidden=True, app=app) for part in exercise.parts}


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c.notebook}/{c.answer_cell}/{c.name}" for c in CASES]
)
def test_case_fails_for_its_reason(case, tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    exercise = exercise_for(case)
    assert case.reason, f"{case.path} has no '# reason:' line"
    assert case.expect, f"{case.path} has no '# expect:' line"
    results = _evaluate_all_parts(exercise, case.body, tmp_path)
    failing = [r for r in results.values() if not r.passed]
    first_reason = failing[0].reason if failing else "correct"
    assert first_reason == case.reason, "\n\n".join(r.text() for r in results.values())
    cells = {cell.grade_id: cell for cell in graded_cells(case.notebook)}
    for grade_id, points in case.expect.items():
        cell = cells[grade_id]
        assert cell.exercise == exercise.name, f"{grade_id} does not test {exercise.name}"
        assert points in (0, cell.points), f"{grade_id}: a check cell scores 0 or full"
        passed = results[cell.part].passed
        assert passed == (points == cell.points), (grade_id, results[cell.part].text())


def test_every_exercise_has_at_least_five_wrong_answers():
    from tests.course_index import all_exercises

    wrong = {}
    for case in CASES:
        if case.reason != "correct":
            key = (case.notebook, case.answer_cell)
            wrong[key] = wrong.get(key, 0) + 1
    for exercise in all_exercises():
        count = wrong.get((exercise.notebook, exercise.solution_cell), 0)
        assert count >= 5, f"{exercise.notebook} {exercise.name} has {count} wrong answers"
