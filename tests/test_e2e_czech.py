"""Graded in Czech: the Czech course (``python -m autograder.translate course cs``) gives
every submission the same per-cell scores as the English one, through the real nbgrader.

One class for the whole course, in one ``nbgrader autograde "*"`` run (CI's budget is
full, so one run, not one per notebook): the reference answers of every notebook (the
Czech solution runs top to bottom and passes every check) and, from the proof
pipeline's sample (tests/course_index.e2e_sample), the first wrong answer of a few
notebooks, each graded exactly as the English catalogue says (``make test-all``: every
wrong answer of the whole sample, 25 more). That the learner version
fails every graded cell is test_notebooks.py's (parametrized by edition); that the
Czech cells, grade ids and points are the English ones is test_translations.py's.

The course graded is the translators' catalogues with every entry still empty filled in
by stand-ins (tests/translation_fixture.py): translated Markdown, and in code cells,
graded and test cells included, translated comments.
"""

from __future__ import annotations

import time

import nbformat
import pytest

from autograder import translate
from tests import nbgrader_harness as h
from tests.course_index import e2e_sample
from tests.test_e2e_grading import GRADE_ALL, REASON, first_failure
from tests.translation_fixture import pseudo_course

SOURCES = {p.stem: p for p in sorted(h.COURSE.glob("source/*/*.ipynb"))}
# Notebooks whose first sampled wrong answer is graded too: a Redis answer, a scale-out
# answer under random routing and restarts, and a session store.
WITH_A_WRONG_ANSWER = ("01-one-process", "03-scale-out", "05-sessions")


def wrong_answers(name: str) -> list:
    """The first sampled wrong answer of the notebooks above; with ``E2E_ALL=1``
    (``make test-all``) every wrong answer of every notebook's sample."""
    wrong = [case for case, _why in e2e_sample(name) if case.reason != "correct"]
    if GRADE_ALL:
        return wrong
    return wrong[:1] if name in WITH_A_WRONG_ANSWER else []


@pytest.mark.slow
def test_the_czech_course_grades_every_cell_as_the_english(tmp_path):
    pseudo = pseudo_course(h.COURSE, tmp_path / "pseudo")
    translate.translated_sources(pseudo, "cs", tmp_path / "cs-source")
    course = h.make_course(tmp_path / "graded", tmp_path / "cs-source")
    h.run_nbgrader(course, "generate_assignment", "*", "--force")

    expected: dict[tuple[str, str], dict[str, float]] = {}
    cases = {}
    for name in SOURCES:
        cases[name] = wrong_answers(name)
        submissions, scores = h.catalogue_class(
            course.release_nb(name), course.source_nb(name), cases[name]
        )
        del submissions["untouched"], scores["untouched"]
        for student, nb in submissions.items():
            folder = course.root / "submitted" / student / name
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(h.read_nb(nb), folder / f"{name}.ipynb")
            expected[name, student] = scores[student]
        # the points are the English ones, cell by cell
        assert h.graded_points(course.source_nb(name)) == h.graded_points(SOURCES[name])

    start = time.monotonic()
    h.run_nbgrader(course, "autograde", "*", "--force")
    seconds = time.monotonic() - start
    print(
        f"\nCzech course: autograde of {len(expected)} submissions across {len(SOURCES)} "
        f"notebooks took {seconds:.1f} s (one nbgrader run)"
    )

    from nbgrader.api import Gradebook

    graded = {}
    with Gradebook(course.db_url) as gb:
        for name, student in expected:
            notebook = gb.find_submission_notebook(name, name, student)
            graded[name, student] = {g.name: float(g.score) for g in notebook.grades}
    assert graded == expected

    for name in SOURCES:
        autograded = h.read_nb(course.root / "autograded" / "reference" / name / f"{name}.ipynb")
        assert h.cell_errors(autograded, allow_answers=False) == [], name
        assert "env: COURSE_LANG=cs" in str(autograded.cells), "the notebook speaks Czech"
        for case in cases[name]:  # it fails first for the reason the fast path reports
            student = f"{case.answer_id}--{case.name}"
            nb = h.read_nb(course.root / "autograded" / student / name / f"{name}.ipynb")
            shown = {
                gid: REASON.findall(
                    "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
                )
                for gid, cell in h.cells_by_id(nb, h.is_test).items()
            }
            assert first_failure(shown) == case.reason, student
