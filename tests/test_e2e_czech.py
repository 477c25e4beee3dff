"""Graded in Czech: the Czech course (``python -m autograder.translate course cs``) gives
submissions the same per-cell scores as the English one, through the real nbgrader.

One class in one ``nbgrader autograde "*"`` run (CI's budget is full, so one run, not
one per notebook): the reference answers (the Czech solution runs top to bottom and
passes every check) of the notebooks in ``CZECH_NOTEBOOKS``, chosen so that every check
engine of the course (tests/course_index.engine_of: the predictions, the scenario, race,
build, site, worker and names engines) grades at least one Czech reference; and the first
wrong answer of 01-one-process (tests/course_index.e2e_sample), graded exactly as the
English catalogue says. ``make test-all`` (``E2E_ALL=1``) grades the reference of every
notebook and every wrong answer of the whole sample.

Why a few notebooks prove it for all: the translation changes only Markdown, comments
and strings; test_translations.py proves that every Czech notebook has the English
cells, grade ids, points, nbgrader flags and graded code, and test_notebooks.py runs
every Czech learner notebook under the Validator. What Czech adds to a graded cell is
the language of the check's messages, and which messages a cell can show depends on
the engine that grades it, not on the notebook (test_all_check_engines_are_graded_in_czech
keeps the choice in step when an engine is added). The English reference of every
notebook is graded by test_e2e_grading.py.

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
from tests.course_index import e2e_sample, engine_of
from tests.test_e2e_grading import GRADE_ALL, REASON, first_failure
from tests.translation_fixture import pseudo_course

SOURCES = {p.stem: p for p in sorted(h.COURSE.glob("source/*/*.ipynb"))}
# Whose Czech reference is graded on every run: between them, every check engine.
# 01: predictions and the scenario engine (a Redis app); 04: race; 07: build and site;
# 08: worker; 09: names (real processes).
CZECH_NOTEBOOKS = (
    "01-one-process",
    "04-atomicity",
    "07-build-time-assets",
    "08-workers",
    "09-real-processes",
)
GRADED = tuple(SOURCES) if GRADE_ALL else CZECH_NOTEBOOKS
# Notebooks whose first sampled wrong answer is graded too: a Redis answer.
WITH_A_WRONG_ANSWER = ("01-one-process",)


def engines(notebooks) -> set[str]:
    return {engine_of(case) for name in notebooks for case in h.load_cases(name)}


def test_all_check_engines_are_graded_in_czech():
    """A new engine (or a notebook that brings one) must add a notebook above."""
    assert set(CZECH_NOTEBOOKS) <= set(SOURCES)
    assert engines(CZECH_NOTEBOOKS) == engines(SOURCES)


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
    translated = translate.translated_sources(pseudo, "cs", tmp_path / "cs-source")
    for name, path in translated.items():
        if name not in GRADED:  # make_course copies what is left
            path.unlink()
    course = h.make_course(tmp_path / "graded", tmp_path / "cs-source")
    h.run_nbgrader(course, "generate_assignment", "*", "--force")

    expected: dict[tuple[str, str], dict[str, float]] = {}
    cases = {}
    for name in GRADED:
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
        f"\nCzech course: autograde of {len(expected)} submissions across {len(GRADED)} "
        f"notebooks took {seconds:.1f} s (one nbgrader run)"
    )

    from nbgrader.api import Gradebook

    graded = {}
    with Gradebook(course.db_url) as gb:
        for name, student in expected:
            notebook = gb.find_submission_notebook(name, name, student)
            graded[name, student] = {g.name: float(g.score) for g in notebook.grades}
    assert graded == expected

    for name in GRADED:
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
