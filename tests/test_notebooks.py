"""The course pipeline: every learner notebook runs and scores nothing under nbgrader's
Validator (what the learner's Validate button runs), the generated notebooks are current,
and nothing that should stay with the instructor reaches a learner.

That every source notebook runs top to bottom and grades itself full marks is proved
once, by the reference submission that test_e2e_grading.py autogrades for every notebook.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from traitlets.config.loader import PyFileConfigLoader

from tests import nbgrader_harness as h

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SOURCES = {p.stem: p for p in sorted(h.COURSE.glob("source/*/*.ipynb"))}
LEARNER = h.REPO / "notebooks"
SOLUTIONS = h.REPO / "solutions"
EVERY_NOTEBOOK = [
    *SOURCES.values(),
    *sorted(LEARNER.glob("*.ipynb")),
    *sorted(SOLUTIONS.glob("*.ipynb")),
]
CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")  # nbformat 4.5


def rel(path) -> str:
    return str(path.relative_to(h.REPO))


def test_the_course_has_notebooks():
    if not SOURCES:
        if IN_CI:
            pytest.fail("CI=true but course/source holds no notebooks: nothing below ran")
        pytest.skip("course/source holds no notebooks yet")


def test_nbgrader_config_loads_and_sets_every_trap():
    # nbgrader only warns when its config fails to load, then grades with its defaults.
    config = PyFileConfigLoader(h.CONFIG.name, str(h.CONFIG.parent)).load_config()
    assert config.CourseDirectory.root == str(h.COURSE)
    assert config.IgnorePattern.enabled and config.IgnorePattern.pattern
    assert config.OverwriteCells.add_missing_cells is True
    assert config.Execute.timeout > 0 and config.Execute.interrupt_on_timeout is True
    names = [p.__name__ for p in config.GenerateFeedback.preprocessors]
    assert "HideTestInternals" in names


def test_ignore_pattern_drops_only_warnings():
    pattern = re.compile(
        PyFileConfigLoader(h.CONFIG.name, str(h.CONFIG.parent)).load_config().IgnorePattern.pattern
    )
    warning = "/tmp/ipykernel_1/2.py:3: DeprecationWarning: old\n  q1.check()\n"
    assert pattern.search(warning)
    assert pattern.search(warning + "/x/y.py:9: FutureWarning: soon\n")
    assert not pattern.search("WARNING:root:adding\n")  # a log line counts
    assert not pattern.search(warning + "something else on stderr\n")  # so does a mix
    assert not pattern.search("oops\n" + warning)


@pytest.mark.parametrize("name", SOURCES)
def test_learner_notebook_runs_and_fails_every_test(name):
    learner = LEARNER / f"{name}.ipynb"
    assert learner.exists(), f"{rel(learner)} is missing: run `make notebooks`"
    result = h.validate(learner, invert=True)
    assert set(result.tests) == set(h.graded_points(SOURCES[name]))
    assert result.ok, "\n\n".join(result.problems())


def test_generated_notebooks_are_up_to_date():
    run = subprocess.run(
        [sys.executable, "-m", "autograder.build", "--check"],
        cwd=h.REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("path", EVERY_NOTEBOOK, ids=rel)
def test_no_outputs_are_committed(path):
    nb = json.loads(path.read_text("utf-8"))
    dirty = [
        i
        for i, cell in enumerate(nb["cells"])
        if cell.get("outputs")
        or cell.get("execution_count") is not None
        or "execution" in cell.get("metadata", {})
    ]
    assert not dirty, f"cells {dirty} carry outputs or execution data: clear them"
    assert "widgets" not in nb["metadata"], "saved widget state is output too"


@pytest.mark.parametrize("path", EVERY_NOTEBOOK, ids=rel)
def test_cell_ids_are_present_and_unique(path):
    nb = json.loads(path.read_text("utf-8"))
    assert (nb["nbformat"], nb["nbformat_minor"]) >= (4, 5), "needs nbformat 4.5 (cell ids)"
    ids = [cell.get("id", "") for cell in nb["cells"]]
    assert all(CELL_ID.match(i) for i in ids), f"missing or malformed cell ids: {ids}"
    assert len(set(ids)) == len(ids), "duplicate cell ids"


@pytest.mark.parametrize("name", SOURCES)
def test_no_solution_or_hidden_test_line_leaks(name):
    """No line of a solution region or hidden-test region of this source shows up in any
    learner notebook, nor a hidden-test line in any solution notebook.

    Fair filter (``nbgrader_harness.distinctive``): lines a learner sees anyway, because
    they appear in the public part of any source notebook (imports, scaffold such as
    ``def add(a, b):``, demo code, visible tests), are not secret; nor are lines under
    8 characters (``pass``, ``else:``, ``)``), which any code contains. Lines compare
    whitespace-normalized and whole: a secret line is a leak wherever it appears.
    """
    public = h.public_lines(*SOURCES.values())
    secrets = h.secret_lines(SOURCES[name], public)
    leaks = []
    for folder, kinds in [(LEARNER, ("solution", "hidden")), (SOLUTIONS, ("hidden",))]:
        for nb_path in sorted(folder.glob("*.ipynb")):
            seen = {h.normalize(x) for c in h.read_nb(nb_path).cells for x in c.source.split("\n")}
            leaks += [
                f"{rel(nb_path)}: {kind} line {line!r}"
                for kind in kinds
                for line in sorted(secrets[kind] & seen)
            ]
    assert not leaks, "\n".join(leaks)


def test_build_is_byte_stable_and_strips_what_it_should(tmp_path):
    """autograder.build on the toy assignment: a rerun changes nothing, the learner
    version is nbgrader's release, the solution version is a plain notebook."""
    from autograder import build

    toy = h.REPO / "tests" / "fixtures" / "toy" / "source"
    course = h.make_course(tmp_path, toy).root
    files = build.expected_files(course, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in files) == [
        "notebooks/toy.ipynb",
        "solutions/toy.ipynb",
    ]
    for path, text in files.items():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode())
    assert build.stale_files(build.expected_files(course, tmp_path), tmp_path) == []
    (tmp_path / "notebooks" / "gone.ipynb").write_text("{}")
    assert build.stale_files(files, tmp_path) == [tmp_path / "notebooks" / "gone.ipynb"]

    learner = (tmp_path / "notebooks" / "toy.ipynb").read_text()
    assert "raise NotImplementedError()" in learner and "return a + b" not in learner
    assert "HIDDEN" not in learner and '"checksum"' in learner  # nbgrader's metadata stays
    solution = h.read_nb(tmp_path / "solutions" / "toy.ipynb")
    text = "\n".join(c.source for c in solution.cells)
    assert "return a + b" in text and "lines_printed = 3" in text
    assert "SOLUTION" not in text and "HIDDEN" not in text and "1200" not in text
    assert not any("nbgrader" in c.metadata for c in solution.cells)
    assert [c.id for c in solution.cells] == [
        c.id for c in h.read_nb(toy / "toy" / "toy.ipynb").cells
    ]
