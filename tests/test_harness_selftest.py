"""The grading harness proves itself on a toy assignment before trusting it on the course.

tests/fixtures/toy/ holds a two-exercise nbgrader assignment in plain Python and its own
answer catalogue. Every number asserted here is what the real nbgrader 0.9.6 gives.
"""

from __future__ import annotations

import textwrap

import nbformat
import pytest

from tests import nbgrader_harness as h

TOY = h.REPO / "tests" / "fixtures" / "toy"
SOURCE = TOY / "source" / "toy" / "toy.ipynb"
ANSWERS = TOY / "answers"
HANG_TIMEOUT = 8  # seconds per cell: long enough for a slow kernel, short for the hang case


# ----------------------------------------------------------------- catalogue (fast)


def test_toy_catalogue_parses():
    cases = {c.id: c for c in h.load_cases("toy", ANSWERS, TOY / "source")}
    assert len(cases) == 8
    hangs = cases["add_answer/hangs"]
    assert hangs.expect == {"test_add_small": 0.0, "test_add_negative": 0.0}
    assert hangs.reason == "timeout"
    # the header lines go, other comments stay: learners comment their answers too
    assert hangs.source.startswith("%%writefile toy_add.py\n# Never returns")
    assert hangs.source.endswith("def add(a, b):\n    while True:\n        pass")
    assert "# expect" not in hangs.source
    assert cases["add_answer/correct_builtin_sum"].expect == {}
    assert cases["lines_printed_answer/off_by_one"].source == "lines_printed = 2"


def test_catalogue_rejects_unknown_cells(tmp_path):
    (tmp_path / "toy" / "add_answer").mkdir(parents=True)
    case = tmp_path / "toy" / "add_answer" / "bad.py"
    case.write_text("# expect: no_such_test=0\n# reason: wrong\nx = 1\n")
    with pytest.raises(ValueError, match="no_such_test"):
        h.load_cases("toy", tmp_path, TOY / "source")
    case.write_text("# reason: wrong\nx = 1\n")
    with pytest.raises(ValueError, match="must start with"):
        h.load_cases("toy", tmp_path, TOY / "source")


def test_submission_holds_reference_answers_and_replacements(tmp_path):
    release = h.build_submission(SOURCE, SOURCE)  # the source stands in for a release
    answers = h.cells_by_id(release, h.is_answer)
    assert (
        answers["add_answer"].source == "%%writefile toy_add.py\ndef add(a, b):\n    return a + b"
    )
    assert answers["lines_printed_answer"].source == "lines_printed = 3"
    edited = h.build_submission(
        SOURCE, SOURCE, {"lines_printed_answer": "x = 1", "test_add_small": None}
    )
    assert h.cells_by_id(edited, h.is_answer)["lines_printed_answer"].source == "x = 1"
    assert "test_add_small" not in h.graded_points(edited)
    with pytest.raises(KeyError):
        h.build_submission(SOURCE, SOURCE, {"nope": ""})


def test_secret_lines_filter():
    secrets = h.secret_lines(SOURCE)
    assert secrets["solution"] == {"return a + b", "lines_printed = 3"}
    assert (
        'assert add(1200, 34) == 1234, "hidden: add(1200, 34) should be 1234"' in secrets["hidden"]
    )
    # shared scaffold lines are public, not secret
    assert "def add(a, b):" not in secrets["solution"]


def test_frame_detection():
    text = textwrap.dedent(
        """\
        AssertionError                            Traceback (most recent call last)
        Cell In[4], line 2
              1 add = runpy.run_path("toy_add.py")["add"]
        ----> 2 assert add(2, 3) == 5
        AssertionError: add(2, 3) should be 5
        """
    )
    assert h.quoted_frames(text, {"assert add(2, 3) == 5"}) == ["----> 2 assert add(2, 3) == 5"]
    assert h.quoted_frames("add(2, 3) == 5 is what we want", {"add(2, 3) == 5"}) == []


# ----------------------------------------------------------------- real nbgrader (slow)


@pytest.fixture(scope="module")
def toy_course(tmp_path_factory):
    course = h.make_course(tmp_path_factory.mktemp("toy"), TOY / "source")
    release = h.generate_release(course, "toy")
    return course, release


@pytest.mark.slow
def test_validate_source_passes_everything(toy_course):
    course, _ = toy_course
    result = h.validate(course.source_nb("toy"))
    assert result.ok, result.problems()
    assert {gid: c.score for gid, c in result.tests.items()} == {
        "test_add_small": 1.0,
        "test_add_negative": 1.0,
        "test_lines_printed": 2.0,
    }
    assert not (course.source_nb("toy").parent / "toy_add.py").exists(), "ran in place"


@pytest.mark.slow
def test_validate_release_fails_every_test(toy_course):
    _, release = toy_course
    result = h.validate(release, invert=True)
    assert result.ok, result.problems()
    assert all(c.score == 0 for c in result.tests.values())
    assert result.cell_errors == []  # the demo cell runs without any answer


@pytest.mark.slow
def test_validate_reports_failures_and_broken_demo_cells(tmp_path):
    nb = h.build_submission(SOURCE, SOURCE, {"add_answer": "%%writefile toy_add.py\nadd = max"})
    nb.cells.insert(1, nbformat.v4.new_code_cell("1 / 0", id="broken-demo"))
    path = tmp_path / "toy.ipynb"
    nbformat.write(nb, path)
    result = h.validate(path)
    assert not result.ok
    assert [c.grade_id for c in result.tests.values() if not c.passed] == [
        "test_add_small",
        "test_add_negative",
    ]
    assert [c.source for c in result.cell_errors] == ["1 / 0"]
    assert "ZeroDivisionError" in result.cell_errors[0].errors[0]


@pytest.mark.slow
def test_validation_ignores_standard_warnings_like_autograde(tmp_path):
    cases = {c.name: c for c in h.load_cases("toy", ANSWERS, TOY / "source")}
    without_ignore = tmp_path / "nbgrader_config.py"  # the course config, IgnorePattern off
    without_ignore.write_text(
        f"c = get_config()\nload_subconfig({str(h.CONFIG)!r})\nc.IgnorePattern.enabled = False\n"
    )
    results = {}
    for name, config in [
        ("deprecation_warning", h.CONFIG),
        ("deprecation_warning", without_ignore),
        ("logs_to_stderr", h.CONFIG),
    ]:
        nb = h.build_submission(SOURCE, SOURCE, {"add_answer": cases[name].source})
        path = tmp_path / f"{name}-{config == h.CONFIG}" / "toy.ipynb"
        path.parent.mkdir()
        nbformat.write(nb, path)
        results[name, config == h.CONFIG] = h.validate(path, config=config).tests["test_add_small"]
    assert results["deprecation_warning", True].passed
    # proof that the warning does reach stderr, and that IgnorePattern is what saves it
    unsaved = results["deprecation_warning", False]
    assert not unsaved.passed and "DeprecationWarning: add() will move" in unsaved.errors[0]
    logged = results["logs_to_stderr", True]
    assert not logged.passed and logged.errors == ["adding 2 and 3\n", "adding 1200 and 34\n"]


@pytest.mark.slow
def test_nbgrader_cannot_restore_a_test_cell_after_a_deleted_answer_cell(tmp_path):
    """A known nbgrader 0.9.6 limit, kept visible: if this starts passing, nbgrader was fixed.

    OverwriteCells.add_missing_cells puts a deleted test cell back after the cell before
    it in the source, and raises KeyError when that cell (the answer) is gone as well:
    the submission is not graded at all (other students are). Answer cells are locked
    against deletion in the released notebook (LockCells), which makes this rare.
    """
    course = h.make_course(tmp_path, TOY / "source")  # its own: this class does not grade
    release = h.generate_release(course, "toy")
    student = "deletes-answer-and-test"
    nb = h.build_submission(release, SOURCE, {"add_answer": None, "test_add_small": None})
    folder = course.root / "submitted" / student / "toy"
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "toy.ipynb")
    run = h.run_nbgrader(course, "autograde", "toy", f"--student={student}", check=False)
    assert run.returncode != 0
    assert "KeyError: 'add_answer'" in run.stdout + run.stderr


@pytest.mark.slow
def test_toy_class_end_to_end(toy_course):
    """The whole catalogue plus deleted and edited cells, graded in one nbgrader run."""
    course, release = toy_course
    points = h.graded_points(SOURCE)
    cases = h.load_cases("toy", ANSWERS, TOY / "source")
    submissions, expected = h.catalogue_class(release, SOURCE, cases)
    assert len(submissions) == 2 + len(cases)
    wrong = next(c for c in cases if c.name == "subtracts")
    # A learner who rewrites a test cell into `pass` still gets it graded as released...
    submissions["edits-test"] = h.build_submission(
        release, SOURCE, {wrong.answer_id: wrong.source, "test_add_small": "pass"}
    )
    expected["edits-test"] = {**points, "test_add_small": 0.0, "test_add_negative": 0.0}
    # ... and one who deletes test cells gets them back (OverwriteCells.add_missing_cells).
    submissions["deletes-tests"] = h.build_submission(
        release,
        SOURCE,
        {wrong.answer_id: wrong.source, "test_add_small": None, "test_lines_printed": None},
    )
    expected["deletes-tests"] = {**points, "test_add_small": 0.0, "test_add_negative": 0.0}

    result = h.autograde_class(course, "toy", submissions, timeout=HANG_TIMEOUT)
    print(f"\ntoy: autograde of {len(submissions)} submissions took {result.seconds:.1f} s")

    assert result.max_scores == points
    assert h.grading_problems(result, expected) == []
    assert h.feedback_problems(result, SOURCE, cases) == []
    # the checks above can see what they look for: the hidden tests did run, and a
    # traceback was there to strip
    autograded = course.root / "autograded" / "add_answer--subtracts" / "toy" / "toy.ipynb"
    assert "hidden: add(1200, 34)" in autograded.read_text()
    # and a hang in the kernel is what h.cut_at_time_limit sees (test_hostile.py relies
    # on it to prove that no hostile case ever reaches the limit)
    hung = h.read_nb(course.root / "autograded" / "add_answer--hangs" / "toy" / "toy.ipynb")
    assert [c.id for c in hung.cells if h.cut_at_time_limit(c)] != []
    feedback = h.html_text(result.feedback["add_answer--subtracts"])
    assert "AssertionError: add(2, 3) should be 5" in feedback
    assert "Traceback (most recent call last)" not in feedback.split("Exercise 2")[0]


@pytest.mark.slow
def test_a_config_that_does_not_load_stops_nbgrader(tmp_path):
    # Left alone, nbgrader logs the error and carries on with its defaults.
    course = h.make_course(tmp_path, TOY / "source")
    (course.root / "nbgrader_config.py").write_text("c = get_config()\nimport no_such_module\n")
    with pytest.raises(AssertionError, match="no_such_module"):
        h.run_nbgrader(course, "generate_assignment", "toy", "--force")
