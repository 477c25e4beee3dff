"""End to end with the real nbgrader: what only nbgrader can prove, on a fixed sample.

Every catalogue case's exact points and reason are proved on the fast path
(test_catalogue.py). Here one class per notebook is autograded, given feedback and
exported with the real CLI: the reference answers (full marks, and no other cell fails:
the source runs top to bottom), the untouched learner notebook (0), and the sample of
tests/course_index.e2e_sample: every case marked ``# e2e:``, one wrong answer, and the
first case of each way a cell can fail (wrong, not attempted, timeout, crash) on each
check engine, on the first notebook that has it. docs/design.md ("Where each fact is
proved") says why that is enough.

The bridge: for every sampled case, nbgrader's cell scores equal the expected points the
fast path proves, and the first failing check in the autograded notebook carries the
reason code the fast path reports: the test cell's calls and the fast path's calls give
one verdict.

``E2E_ALL=1`` (``make test-all``) grades every catalogue case end to end instead.
"""

from __future__ import annotations

import os
import re

import pytest

from tests import nbgrader_harness as h
from tests.course_index import e2e_sample

SOURCES = {p.stem: p for p in sorted(h.COURSE.glob("source/*/*.ipynb"))}
CATALOGUES = sorted(p.name for p in h.ANSWERS.glob("*") if p.is_dir())
MIN_WRONG = 5  # DESIGN.md section 4: at least five realistic wrong answers per exercise
GRADE_ALL = os.environ.get("E2E_ALL", "").lower() in ("1", "true", "yes")
# Shards graded at a time by the parallel grader. Under pytest-xdist the notebooks are
# already graded side by side, one per worker, so each class gets one plain nbgrader run.
UNDER_XDIST = "PYTEST_XDIST_WORKER" in os.environ
JOBS = int(os.environ.get("E2E_JOBS", 1 if UNDER_XDIST else (os.cpu_count() or 1)))
REASON = re.compile(r'data-reason="([a-z_]+)"')


@pytest.mark.parametrize("name", CATALOGUES)
def test_catalogue_belongs_to_a_source_notebook(name):
    assert name in SOURCES, f"tests/answers/{name}/ has no course/source/{name}/{name}.ipynb"


@pytest.mark.parametrize("name", SOURCES)
def test_every_answer_cell_has_its_wrong_answers(name):
    cases = h.load_cases(name)  # also checks every header against the notebook
    short = {
        answer_id: sum(1 for c in cases if c.answer_id == answer_id and c.expect)
        for answer_id in h.cells_by_id(SOURCES[name], h.is_answer)
    }
    short = {k: n for k, n in short.items() if n < MIN_WRONG}
    assert not short, f"wrong answers per answer cell (need {MIN_WRONG}): {short}"


@pytest.mark.parametrize("name", [n for n in CATALOGUES if n in SOURCES])
def test_the_sample_is_drawn_from_the_catalogue_by_rule(name):
    from tests.course_index import OUTCOME_KINDS, outcome_kind

    cases = h.load_cases(name)
    sampled = [case for case, _why in e2e_sample(name)]
    assert {outcome_kind(c) for c in cases} <= set(OUTCOME_KINDS)
    assert [c.id for c in cases if c.e2e] == [c.id for c in sampled if c.e2e]
    assert len(sampled) == len({c.id for c in sampled}), "a case is sampled twice"
    assert {c.id for c in sampled} <= {c.id for c in cases}


def autograded(course, assignment: str, student: str):
    """A student's notebook as autograde executed it (with its outputs)."""
    return h.read_nb(course.root / "autograded" / student / assignment / f"{assignment}.ipynb")


def reasons_shown(course, assignment: str, student: str) -> dict[str, list[str]]:
    """``{test grade id: reason codes its outputs show}`` in the autograded notebook."""
    nb = autograded(course, assignment, student)
    shown = {}
    for gid, cell in h.cells_by_id(nb, h.is_test).items():
        html = "".join(o.get("data", {}).get("text/html", "") for o in cell.get("outputs", []))
        shown[gid] = REASON.findall(html)
    return shown


def first_failure(shown: dict[str, list[str]]) -> str:
    """The reason of the first failing check in notebook order ("correct": none failed)."""
    return next((r for rs in shown.values() for r in rs if r != "correct"), "correct")


@pytest.mark.slow
@pytest.mark.parametrize("name", SOURCES)
def test_class_is_graded_exactly(name, tmp_path):
    course = h.make_course(tmp_path)
    release = h.generate_release(course, name)
    source = course.source_nb(name)
    all_cases = h.load_cases(name)
    sample = [(c, "every case (E2E_ALL)") for c in all_cases] if GRADE_ALL else e2e_sample(name)
    cases = [case for case, _why in sample]
    submissions, expected = h.catalogue_class(release, source, cases)

    result = h.autograde_class(course, name, submissions, jobs=JOBS)
    print(
        f"\n{name}: autograde of {len(submissions)} submissions took {result.seconds:.1f} s "
        f"({JOBS} job(s)); graded: reference, untouched, "
        + ", ".join(f"{case.id} ({why})" for case, why in sample)
    )

    assert result.max_scores == h.graded_points(source)
    assert h.grading_problems(result, expected) == []
    # The notebook itself runs top to bottom: with the reference answers no other cell
    # fails; untouched (the learner notebook as released) only its answer stubs may.
    assert h.cell_errors(autograded(course, name, "reference"), allow_answers=False) == []
    assert h.cell_errors(autograded(course, name, "untouched"), allow_answers=True) == []
    assert h.feedback_problems(result, source, cases) == []
    # The bridge: nbgrader's run of the test cells fails first for the fast path's reason.
    wanted = {"reference": "correct"} | {f"{c.answer_id}--{c.name}": c.reason for c in cases}
    shown = {s: first_failure(reasons_shown(course, name, s)) for s in wanted}
    assert shown == wanted
