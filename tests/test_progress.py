"""autograder.progress(): every exercise of the course, with its status derived from the
learner's own files (app files, the saved notebook) by the visible checks."""

from __future__ import annotations

import json

import pytest

from autograder import problem
from autograder.exercises.nb00_start_here import q1 as hello
from autograder.exercises.nb00_start_here import q2 as prediction
from autograder.progress import ANSWERED, NOT_YET, RECORD, progress
from autograder.result import CORRECT, NOT_ATTEMPTED
from tests.course_index import REPO, all_exercises, reference_body


@pytest.fixture(autouse=True)
def checker_can_import_tests(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv(problem.SOLUTIONS_SWITCH, raising=False)


def predict(folder, value: str) -> None:
    nb = json.loads((REPO / "notebooks" / "00-start-here.ipynb").read_text())
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == prediction.solution_cell:
            cell["source"] = [f"{prediction.variable} = {value}\n"]
    (folder / "00-start-here.ipynb").write_text(json.dumps(nb))


def status(found, notebook, name):
    return next(r.status for r in found.rows if (r.notebook, r.exercise) == (notebook, name))


def test_every_exercise_is_listed_and_nothing_written_is_not_attempted(tmp_path):
    found = progress(tmp_path)
    listed = {(r.notebook, r.exercise) for r in found.rows}
    assert listed == {(e.notebook, e.name) for e in all_exercises()}
    assert {r.status for r in found.rows} == {NOT_ATTEMPTED}
    assert "0 of" in found.text() and "<table" in found._repr_html_()


def test_statuses_come_from_the_learners_files_and_a_recorded_check_is_not_rerun(
    tmp_path, monkeypatch
):
    (tmp_path / hello.app_file).write_text(reference_body(hello))
    predict(tmp_path, "3")  # wrong
    found = progress(tmp_path)
    assert status(found, "00-start-here", "q1") == CORRECT
    assert status(found, "00-start-here", "q2") == NOT_YET
    assert (tmp_path / RECORD).exists()

    def no_checker(*args, **kwargs):
        raise AssertionError("a recorded part was checked again")

    monkeypatch.setattr(problem, "run_in_checker", no_checker)
    assert status(progress(tmp_path), "00-start-here", "q1") == CORRECT
    # A changed file is a new answer: its record does not apply.
    (tmp_path / hello.app_file).write_text(reference_body(hello) + "\n# changed\n")
    with pytest.raises(AssertionError, match="checked again"):
        progress(tmp_path)


def test_a_visible_check_records_its_outcome_for_progress(tmp_path, monkeypatch):
    app = tmp_path / hello.app_file
    app.write_text("def hello(name):\n    raise NotImplementedError()\n")
    assert hello.evaluate(app=app).outcome == NOT_ATTEMPTED
    record = json.loads((tmp_path / RECORD).read_text())
    assert list(record.values()) == [NOT_ATTEMPTED]


def test_in_class_mode_progress_is_no_oracle_for_predictions(tmp_path, monkeypatch):
    monkeypatch.setenv(problem.SOLUTIONS_SWITCH, "off")
    for value in ("3", "2"):
        predict(tmp_path, value)
        assert status(progress(tmp_path), "00-start-here", "q2") == ANSWERED
