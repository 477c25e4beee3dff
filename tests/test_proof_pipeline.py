"""The proof pipeline itself: the fast path replays what a test cell runs, the end-to-end
sample is chosen by rule, and the time report and `make test-quick` find what they should."""

from __future__ import annotations

import importlib.util

import pytest

from autograder.problem import AppExercise, Prediction
from tests import timing
from tests.course_index import (
    SOURCE,
    all_exercises,
    check_calls,
    e2e_sample,
    failure_of,
    graded_cells,
    outcome_kind,
)
from tests.nbgrader_harness import load_cases

NOTEBOOKS = sorted(p.name for p in SOURCE.iterdir() if p.is_dir())


def _load_script(name):
    spec = importlib.util.spec_from_file_location(name, SOURCE.parent.parent / f"scripts/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------- the bridge, structurally


def test_check_calls_reads_visible_then_hidden():
    source = 'q2.check("part")\n### BEGIN HIDDEN TESTS\nq2.check("part", hidden=True)\n'
    assert check_calls(source) == ("q2", [(("part",), {}), (("part",), {"hidden": True})])


@pytest.mark.parametrize(
    "source",
    [
        "assert q1.check()",
        "q1.check()\nprint('done')",
        "q1.check()\nq2.check()",
        "for _ in range(2):\n    q1.check()",
        "q1.check(PART)",  # not a literal: the fast path could not replay it
        "q1.evaluate()",
    ],
)
def test_a_test_cell_that_does_more_than_check_is_refused(source):
    with pytest.raises(ValueError):
        check_calls(source)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_test_cell_is_replayable_by_the_fast_path(notebook):
    cells = graded_cells(notebook)  # raises on a cell the fast path could not replay
    assert cells, f"{notebook} has no graded test cells"
    for cell in cells:
        assert any(kw.get("hidden") for _args, kw in cell.calls), f"{cell.grade_id}: no hidden"


@pytest.mark.parametrize("kind", [AppExercise, Prediction])
def test_check_hands_its_arguments_to_evaluate_unchanged(kind, monkeypatch):
    """check() is evaluate() plus display: the fast path calls evaluate() with the cell's
    arguments, so both levels run one code path."""
    from autograder.result import CORRECT, Result

    exercise = next(e for e in all_exercises() if type(e) is kind)
    seen = []

    def evaluate(*args, **kwargs):
        seen.append((args, kwargs))
        return Result(CORRECT, "correct", exercise="x", level="visible")

    monkeypatch.setattr(exercise, "evaluate", evaluate)
    exercise.check("some_part", hidden=True)
    assert seen == [(("some_part",), {"hidden": True})]


# --------------------------------------------------------------- the end-to-end sample


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_sample_is_small_and_holds_a_wrong_answer(notebook):
    sample = e2e_sample(notebook)
    failures = [failure_of(case) for case, _why in sample if not case.e2e]
    assert len(failures) == len(set(failures)), "one case per (engine, failure)"
    assert len(sample) <= 8, "the sample is what nbgrader grades on every run: keep it small"
    if any(failure_of(c) for c in load_cases(notebook)):
        assert any(failure_of(c) for c, _ in sample), "the bridge needs a wrong answer here"


def test_the_samples_cover_every_way_a_cell_fails_on_every_engine_once():
    """Course-wide: every (engine, failure) pair of any catalogue is graded by nbgrader,
    once, on the first notebook that has it."""
    everywhere = {failure_of(c) for nb in NOTEBOOKS for c in load_cases(nb)} - {None}
    sampled = [(failure_of(c), nb) for nb in NOTEBOOKS for c, _ in e2e_sample(nb) if failure_of(c)]
    assert {pair for pair, _nb in sampled} == everywhere
    first_home = {}
    for nb in NOTEBOOKS:
        for case in load_cases(nb):
            if failure_of(case):
                first_home.setdefault(failure_of(case), nb)
    for pair, notebook in first_home.items():
        assert (pair, notebook) in sampled, f"{pair} is first in {notebook}, graded there"


def test_a_failure_names_its_engine():
    cases = {c.id: c for c in load_cases("04-atomicity")}
    assert failure_of(cases["poll_app/hangs_in_vote"]) == ("race_check", "timeout")
    cases = {c.id: c for c in load_cases("00-start-here")}
    assert failure_of(cases["hello_app/forgot_f_prefix"]) == ("scenario", "wrong")
    assert failure_of(cases["predict_fourth_request/left_placeholder"]) == (
        "prediction",
        "not attempted",
    )
    assert failure_of(cases["hello_app/warns_but_correct"]) is None


def test_outcome_kinds_of_known_cases():
    cases = {c.id: c for c in load_cases("01-one-process")}
    assert outcome_kind(cases["counter_redis_app/correct_with_deprecation_warning"]) == "full"
    assert outcome_kind(cases["counter_redis_app/cache_loaded_at_start"]) == "partial"
    assert outcome_kind(cases["counter_redis_app/global_variable"]) == "zero"
    assert outcome_kind(cases["counter_redis_app/hangs_in_hit"]) == "timeout"


# --------------------------------------------------------------- report and inner loop


def test_time_report_groups_tests_and_finds_their_notebook():
    assert timing.group_of("tests/test_catalogue.py::test_x[03-scale-out/a/b]", {}) == "catalogue"
    assert timing.group_of("tests/test_sandbox.py::test_y", {}) == "unit"
    assert timing.group_of("tests/test_harness_selftest.py::test_z", {"slow": 1}) == "end-to-end"
    assert timing.notebook_of("tests/test_catalogue.py::t[04-atomicity/poll_app/x]") == (
        "04-atomicity"
    )
    assert timing.notebook_of("tests/test_notebooks.py::t[notebooks/05-sessions.ipynb]") == (
        "05-sessions"
    )
    assert timing.notebook_of("tests/test_e2e_grading.py::test_x") is None


def test_quick_loop_maps_changed_files_to_notebooks():
    script = _load_script("changed_notebooks")
    slugs = ["00-start-here", "03-scale-out", "04-atomicity", "05-sessions"]
    touched = script.notebooks_touched
    assert touched({"tests/answers/03-scale-out/shop_app/x.py"}, slugs) == ["03-scale-out"]
    assert touched({"autograder/exercises/nb04_atomicity.py"}, slugs) == ["04-atomicity"]
    assert touched({"autograder/messages/en/nb05.py", "README.md"}, slugs) == ["05-sessions"]
    assert touched({"course/source/00-start-here/00-start-here.ipynb"}, slugs) == ["00-start-here"]
    assert touched({"autograder/cluster.py"}, slugs) == slugs  # the platform: all of them
    assert touched({"README.md", "tests/test_e2e_grading.py"}, slugs) == []


def test_the_fast_leak_check_sees_a_reference_line_and_a_hidden_test():
    from tests import nbgrader_harness as h
    from tests.test_catalogue import given_away

    case = {c.id: c for c in load_cases("01-one-process")}["counter_redis_app/global_variable"]
    source = h.COURSE / "source" / case.assignment / f"{case.assignment}.ipynb"
    public = h.public_lines(source)
    answer = h.cells_by_id(source, h.is_answer)[case.answer_id]
    reference = sorted(h.distinctive(h.regions(answer)["solution"], public))
    hidden = sorted(h.secret_lines(source, public)["hidden"])
    assert reference and hidden
    assert given_away(case, "the check said:\n" + reference[0]) == {reference[0]}
    assert given_away(case, "x\n" + hidden[0] + "\n") == {hidden[0]}
    assert given_away(case, "nothing secret here") == set()


def test_cell_errors_finds_a_failing_demo_cell_and_stderr_but_allows_stubs():
    import nbformat

    from tests import nbgrader_harness as h

    def code(source, outputs, **nbgrader):
        cell = nbformat.v4.new_code_cell(source)
        cell.outputs = [nbformat.from_dict(o) for o in outputs]
        if nbgrader:
            cell.metadata["nbgrader"] = nbgrader
        return cell

    error = {"output_type": "error", "ename": "E", "evalue": "x", "traceback": ["E: x"]}
    stderr = {"output_type": "stream", "name": "stderr", "text": "oops\n"}
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        code("demo()", [error]),
        code("print(1)", [stderr]),
        code("raise NotImplementedError()", [error], solution=True, grade=False, grade_id="a"),
        code("q1.check()", [error], grade=True, solution=False, grade_id="t", points=1),
        code("fine()", []),
    ]
    assert len(h.cell_errors(nb, allow_answers=False)) == 3  # demo, stderr, answer stub
    found = h.cell_errors(nb, allow_answers=True)
    assert [line.split(" ", 2)[1] for line in found] == ["0", "1"]  # tests never count


def test_shared_fixture_modules_are_one_work_unit_and_other_tests_their_own():
    from tests.conftest import work_unit

    assert work_unit("tests/test_hostile.py::test_exact_score[reference]") == (
        "tests/test_hostile.py"
    )
    assert work_unit("tests/test_hostile.py::test_machine_is_clean_afterwards") == (
        "tests/test_hostile.py"
    )
    one = "tests/test_catalogue.py::test_case_fails_for_its_reason[00-start-here/a/b]"
    assert work_unit(one) == one
