"""Demonstration cells (tagged ``demo``): autograde does not run them, and that is safe.

The course-wide rule (autograder/grading/demos.py) holds for every source notebook; the
rule itself refuses each way a demo could feed a later cell; the build carries the tags
into every generated notebook, locked; and GuardedExecute, with a real kernel, skips a
tagged cell (writing the note in the notebook's language) and runs every other cell.
The real autograde of each notebook's reference answers (test_e2e_grading.py) proves the
course's tags end to end: full marks with its demos skipped.
"""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from autograder import registry
from autograder.grading.demos import (
    DEMO_TAG,
    cell_effects,
    demo_problems,
    is_demo,
    skipped_at_autograde,
)
from tests import nbgrader_harness as h

SOURCES = {p.stem: p for p in sorted(h.COURSE.glob("source/*/*.ipynb"))}
LOCKED = {"grade": False, "locked": True, "schema_version": 3, "solution": False, "task": False}


def app_files(name: str) -> set[str]:
    return {e.app_file for e in registry.by_name(name).values() if getattr(e, "app_file", "")}


def demo(source: str, cell_id: str = "d"):
    cell = nbformat.v4.new_code_cell(source, id=cell_id)
    cell.metadata["tags"] = [DEMO_TAG]
    cell.metadata["nbgrader"] = dict(LOCKED, grade_id=cell_id)
    return cell


def plain(source: str, cell_id: str = "p"):
    return nbformat.v4.new_code_cell(source, id=cell_id)


def graded(source: str = 'q1.check("part")', cell_id: str = "t"):
    cell = nbformat.v4.new_code_cell(source, id=cell_id)
    cell.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": cell_id,
        "locked": True,
        "points": 1,
        "solution": False,
    }
    return cell


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


# --------------------------------------------------------------------------- the course


@pytest.mark.parametrize("name", SOURCES)
def test_every_demo_of_the_course_is_safe_to_skip(name):
    nb = h.read_nb(SOURCES[name])
    assert demo_problems(nb, app_files(name)) == []


def test_the_course_tags_its_costly_demonstrations():
    """The tags were chosen by measuring (scripts/cell_times.py): 09's deployments are the
    bulk of its grading time, and no notebook lost its tags to an edit."""
    tagged = {name: [c.id for c in h.read_nb(p).cells if is_demo(c)] for name, p in SOURCES.items()}
    assert {"demo-chaos", "demo-shop-run", "demo-shop-scaled"} <= set(tagged["09-real-processes"])
    assert all(tagged.values()), {n: ids for n, ids in tagged.items() if not ids}


@pytest.mark.parametrize("name", SOURCES)
def test_the_build_carries_the_tags_into_every_edition(name):
    """notebooks/, solutions/ and their Czech editions tag the same cells; in the learner
    notebooks (nbgrader's release) a demo stays locked and read-only."""
    wanted = [c.id for c in h.read_nb(SOURCES[name]).cells if is_demo(c)]
    for folder in ("notebooks", "solutions", "notebooks/cs", "solutions/cs"):
        nb = h.read_nb(h.REPO / folder / f"{name}.ipynb")
        assert [c.id for c in nb.cells if is_demo(c)] == wanted, folder
    for folder in ("notebooks", "notebooks/cs"):
        for cell in h.read_nb(h.REPO / folder / f"{name}.ipynb").cells:
            if is_demo(cell):
                assert skipped_at_autograde(cell), (folder, cell.id)
                assert cell.metadata.get("editable") is False, (folder, cell.id)


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    "binding, name",
    [
        ("seen = 3", "seen"),
        ("seen, other = 3, 4", "seen"),
        ("seen += 1", "seen"),
        ("seen: int = 3", "seen"),
        ("def seen():\n    return 3", "seen"),
        ("class seen:\n    pass", "seen"),
        ("import json as seen", "seen"),
        ("import seen.path", "seen"),
        ("from os import path as seen", "seen"),
        ("for seen in range(3):\n    pass", "seen"),
        ("with open('x') as seen:\n    pass", "seen"),
        ("if (seen := 3):\n    pass", "seen"),
        ("[(seen := n) for n in range(3)]", "seen"),
        ("try:\n    pass\nexcept Exception as seen:\n    pass", "seen"),
        ("del seen", "seen"),
        ("seen.attribute = 3", "seen"),
        ("seen['key'] = 3", "seen"),
        ("def f():\n    global seen\n    seen = 3\nf()", "seen"),
        ("match 3:\n    case seen:\n        pass", "seen"),
    ],
)
def test_a_demo_that_binds_a_name_a_graded_cell_reads_is_refused(binding, name):
    nb = notebook(plain("seen = 1", "setup"), demo(binding), graded(f"q1.check({name})"))
    problems = demo_problems(nb)
    assert len(problems) == 1 and f"reads {name!r}" in problems[0], problems


@pytest.mark.parametrize(
    "later",
    [
        "print(seen)",
        "seen = seen + 1",  # read before it is bound again
        "def f():\n    return seen",  # a function reads it when it is called
        "print([seen for _ in range(2)])",
        "%time print(seen)",  # IPython syntax is read as the Python IPython runs
    ],
)
def test_any_later_non_demo_cell_that_reads_a_demos_name_is_refused(later):
    assert demo_problems(notebook(demo("seen = 3"), plain(later))) != []


@pytest.mark.parametrize(
    "later",
    [
        "seen = 5\nprint(seen)",  # bound again before it is read: the demo's value is gone
        "for seen in range(2):\n    print(seen)",
        "print([seen for seen in range(2)])",  # a comprehension's own variable
        "def f(seen):\n    return seen",
        "print('seen')",  # a string is not a name
    ],
)
def test_a_later_cell_that_does_not_need_the_demos_name_is_fine(later):
    assert demo_problems(notebook(demo("seen = 3"), plain(later))) == []


def test_demos_may_feed_later_demos():
    nb = notebook(demo("%%writefile app.py\nx = 1\n", "d1"), demo("run('app.py')\nseen = 3", "d2"))
    nb.cells.append(demo("print(seen)", "d3"))
    assert demo_problems(nb) == []


@pytest.mark.parametrize(
    "write, later",
    [
        ("%%writefile helper.py\nX = 1\n", "%%writefile app.py\nimport helper\n"),
        ("%%writefile -a notes.txt\nhi\n", "print(open('notes.txt').read())"),
        ("open('notes.txt', 'w').write('hi')", "print(open('notes.txt').read())"),
        ("open(file='notes.txt', mode='a').write('hi')", "print(open('notes.txt').read())"),
        ("Path('notes.txt').write_text('hi')", "Cluster('notes.txt')"),
    ],
)
def test_a_demo_that_writes_a_file_a_later_cell_uses_is_refused(write, later):
    problems = demo_problems(notebook(demo(write), plain(later)))
    assert len(problems) == 1 and "which the demonstration cell" in problems[0], problems


def test_a_later_cell_that_writes_the_file_itself_does_not_need_the_demo():
    nb = notebook(demo("%%writefile app.py\nX = 1\n"), plain("%%writefile app.py\nX = 2\n"))
    assert demo_problems(nb) == []
    assert demo_problems(notebook(demo("print(open('app.py').read())"), plain("x = 1"))) == []


def test_a_demo_may_not_write_a_file_the_checks_grade():
    nb = notebook(plain("%%writefile hello.py\nX = 1\n"), demo("%%writefile hello.py\nX = 2\n"))
    assert demo_problems(nb, {"hello.py"}) == [
        "cell 1 (d): writes hello.py, a file the checks grade"
    ]


@pytest.mark.parametrize(
    "source",
    [
        "!python app.py",
        "files = !ls",
        "%env COURSE_LANG=cs",
        "%%bash\necho hi > x.txt\n",
        "open(name, 'w').write('x')",
        "target.write_text('x')",
    ],
)
def test_a_demo_whose_effects_the_rule_cannot_read_is_refused(source):
    assert demo_problems(notebook(demo(source))) != []


def test_only_a_locked_code_cell_that_is_no_answer_or_test_is_a_demo():
    unlocked = plain("x = 1")
    unlocked.metadata["tags"] = [DEMO_TAG]
    answer = demo("%%writefile hello.py\nX = 1\n")
    answer.metadata["nbgrader"].update(solution=True, locked=False)
    test = graded()
    test.metadata["tags"] = [DEMO_TAG]
    text = nbformat.v4.new_markdown_cell("a demo", id="m")
    text.metadata["tags"] = [DEMO_TAG]
    unknown = demo("x = 1")
    del unknown.metadata["nbgrader"]["grade_id"]  # nbgrader drops one it does not know
    for cell in (unlocked, answer, test, unknown):
        assert is_demo(cell) and not skipped_at_autograde(cell)
        assert demo_problems(notebook(cell)) != [], cell.source
    assert demo_problems(notebook(text)) == ["cell 0 (m): only code cells can be demonstrations"]
    assert skipped_at_autograde(demo("x = 1"))


def test_a_name_read_before_the_cell_binds_it_is_read():
    effects = cell_effects("x = x + 1\nfor y in ys:\n    z = y\nprint(w)")
    assert effects.reads == {"x", "ys", "print", "w"}
    assert effects.binds == {"x", "y", "z"}


# --------------------------------------------------------------------------- the grader

GUARDED = """
import sys, nbformat
from autograder.grading.guarded_execute import GuardedExecute
nb = nbformat.read(sys.argv[1], as_version=4)
executor = GuardedExecute(sandbox="none", timeout=60)
nb, _ = executor.preprocess(nb, {"metadata": {"path": sys.argv[2]}})
nbformat.write(nb, sys.argv[1])
"""


def _run_guarded(nb, tmp_path):
    """The notebook as GuardedExecute (autograde's Execute) leaves it, run with a real
    kernel in a child process (it makes its process a subreaper, not pytest's)."""
    folder = tmp_path / "submission"
    folder.mkdir()
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    env = h.child_env(tmp_path)
    env.pop("COURSE_LANG", None)
    run = subprocess.run(
        [sys.executable, "-c", GUARDED, str(path), str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    return h.read_nb(path), folder


def test_the_grader_skips_a_demo_and_says_so_and_runs_every_other_cell(tmp_path):
    skipped = demo("open('demo-ran', 'w').write('x')\nprint('demo output')")
    skipped.outputs = [nbformat.v4.new_output("stream", name="stdout", text="carried in")]
    ran = plain("open('plain-ran', 'w').write('x')\nprint('plain output')")
    unlocked = plain("open('unlocked-ran', 'w').write('x')", "u")
    unlocked.metadata["tags"] = [DEMO_TAG]  # a learner's tag on a cell of their own
    nb, folder = _run_guarded(
        notebook(plain("import os", "setup"), skipped, ran, unlocked), tmp_path
    )

    assert not (folder / "demo-ran").exists()
    assert (folder / "plain-ran").exists() and (folder / "unlocked-ran").exists()
    [note] = nb.cells[1].outputs
    assert note.output_type == "stream" and note.name == "stdout"
    assert "does not run this cell" in note.text and "JupyterLab" in note.text
    assert [o.get("text") for o in nb.cells[2].outputs] == ["plain output\n"]


def test_the_note_speaks_the_notebooks_language(tmp_path):
    nb = notebook(plain("%env COURSE_LANG=cs", "setup"), demo("print('demo output')"))
    [note] = _run_guarded(nb, tmp_path)[0].cells[1].outputs
    assert "JupyterLabu" in note.text and "nespouští" in note.text, note.text
