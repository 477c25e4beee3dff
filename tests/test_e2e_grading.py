"""End to end with the real nbgrader: every catalogued answer gets exactly its score.

One class per assignment with a catalogue (tests/answers/<NN-slug>/): the reference
answers (full marks), the untouched learner notebook (0), and one student per catalogue
case. Then feedback and the CSV export, which must agree and give nothing away.
"""

from __future__ import annotations

import os

import pytest

from tests import nbgrader_harness as h

SOURCES = {p.stem: p for p in sorted(h.COURSE.glob("source/*/*.ipynb"))}
CATALOGUES = sorted(p.name for p in h.ANSWERS.glob("*") if p.is_dir())
MIN_WRONG = 5  # DESIGN.md section 4: at least five realistic wrong answers per exercise
# Shards graded at a time (the parallel grader); E2E_JOBS=1 grades with one plain
# `nbgrader autograde` instead.
JOBS = int(os.environ.get("E2E_JOBS", os.cpu_count() or 1))


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


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in CATALOGUES if n in SOURCES])
def test_class_is_graded_exactly(name, tmp_path):
    course = h.make_course(tmp_path)
    release = h.generate_release(course, name)
    source = course.source_nb(name)
    cases = h.load_cases(name)
    submissions, expected = h.catalogue_class(release, source, cases)

    result = h.autograde_class(course, name, submissions, jobs=JOBS)
    print(
        f"\n{name}: autograde of {len(submissions)} submissions took {result.seconds:.1f} s "
        f"({JOBS} job(s))"
    )

    assert result.max_scores == h.graded_points(source)
    assert h.grading_problems(result, expected) == []
    assert h.feedback_problems(result, source, cases) == []
