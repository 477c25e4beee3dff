"""The wrong-answer catalogue, proved on the fast path (no nbgrader): every case, every run.

For every case in tests/answers, every test cell of the case's exercise replays its own
check calls (visible, then hidden) on the case's answer, as nbgrader runs the cell. The
first failing cell must report the declared reason, and every cell must pass or fail as
the case's expected points say (an unlisted cell: full marks), and nothing the checks
print gives away a hidden test or the reference. test_e2e_grading proves
on a fixed sample that nbgrader gives exactly these points for the same calls.
"""

from __future__ import annotations

import pytest

from tests import nbgrader_harness as h
from tests.course_index import (
    all_exercises,
    exercise_for,
    expected_cell_scores,
    fast_verdicts,
    graded_cells,
    load_cases,
)

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.assignment}/{c.id}" for c in CASES])
def test_case_fails_for_its_reason(case, tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    exercise = exercise_for(case)
    cells = {cell.grade_id: cell for cell in graded_cells(case.assignment)}
    for grade_id in case.expect:
        assert cells[grade_id].exercise == exercise.name, f"{grade_id} does not test {exercise}"
    verdicts = fast_verdicts(case, tmp_path)
    failing = [r for r in verdicts.values() if not r.passed]
    first_reason = failing[0].reason if failing else "correct"
    report = "\n\n".join(f"[{gid}]\n{r.text()}" for gid, r in verdicts.items())
    assert first_reason == case.reason, report
    for grade_id, points in expected_cell_scores(case).items():
        full = cells[grade_id].points
        assert points in (0, full), f"{grade_id}: a check cell scores 0 or full"
        assert verdicts[grade_id].passed == (points == full), f"{grade_id}\n{report}"
    # What a check prints ends up in the learner's feedback: it must give nothing away.
    assert given_away(case, report) == set()


def given_away(case, text: str) -> set[str]:
    """Hidden-test lines, and reference lines the case did not write, found in ``text``."""
    source = h.COURSE / "source" / case.assignment / f"{case.assignment}.ipynb"
    public = h.public_lines(source)
    answer = h.cells_by_id(source, h.is_answer)[case.answer_id]
    secret = h.secret_lines(source, public)["hidden"]
    secret |= h.distinctive(h.regions(answer)["solution"], public) - {
        h.normalize(line) for line in case.body.split("\n")
    }
    return secret & {h.normalize(line) for line in text.split("\n")}


def test_every_exercise_has_at_least_five_wrong_answers():
    wrong = {}
    for case in CASES:
        if case.reason != "correct":
            key = (case.assignment, case.answer_id)
            wrong[key] = wrong.get(key, 0) + 1
    for exercise in all_exercises():
        count = wrong.get((exercise.notebook, exercise.solution_cell), 0)
        assert count >= 5, f"{exercise.notebook} {exercise.name} has {count} wrong answers"
