"""Hostile and broken submissions, graded end to end by ONE real `nbgrader autograde` run.

The class is tests/hostile/cases.py (notebook 01-one-process, 7 points). For every case:
the exact score per test cell, feedback that explains without giving away hidden tests,
and a time bounded by construction: a hang is ended by the check's own budget or request
deadline (asserted from the reason each test cell shows), never left to nbgrader's
per-cell limit (no cell of any case reaches it), and the whole run by the harness's
CLI_TIMEOUT. No test here times a case: a stopwatch fails under load, a mechanism does
not (the per-case seconds are printed for the reader). For the whole run: a clean
machine afterwards (no process the submissions started, no listening socket of theirs,
no temp files).
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import time

import pytest

from tests import nbgrader_harness as h
from tests.hostile import cases as hc
from tests.hostile import machine
from tests.test_e2e_grading import REASON

A = hc.ASSIGNMENT
# Apps that hang: ended by the checker's budget (the app never finishes starting) or a
# request's deadline (a handler never returns); either way their test cells say timeout.
HANGS = ("loop_at_import", "loop_in_handler")
STARTED = re.compile(r"Autograding .*/autograded/([^/]+)/")
BY_NAME = {c.name: c for c in hc.CASES}


slow = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    tmpdir = root / "tmp"  # TMPDIR of nbgrader and all it starts: must end up empty
    tmpdir.mkdir()
    watched = [root]
    assert machine.ours(hc.MARKER, watched) == {}
    listening_before = set(machine.listening_sockets())

    course = h.make_course(root)
    release = h.generate_release(course, A)
    source = course.source_nb(A)
    for case in hc.CASES:
        folder = course.root / "submitted" / case.name / A
        folder.mkdir(parents=True)
        (folder / f"{A}.ipynb").write_bytes(hc.build(case, release, source))

    env = h.child_env(root)
    env["TMPDIR"] = str(tmpdir)
    # The course's own per-cell limit (course/nbgrader_config.py): no case may reach it.
    cmd = [sys.executable, "-m", "nbgrader", "autograde", A, "--force"]
    start = time.monotonic()
    stamps, log = [], []
    with subprocess.Popen(
        cmd, cwd=course.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as proc:
        for line in proc.stdout:
            log.append(line)
            if m := STARTED.search(line):
                stamps.append((m.group(1), time.monotonic()))
        proc.wait(timeout=h.CLI_TIMEOUT)
    end = time.monotonic()
    (root / "autograde.log").write_text("".join(log))  # kept for a failing run's reader
    seconds = {}
    for (student, t0), (_next, t1) in zip(stamps, stamps[1:] + [("", end)], strict=True):
        seconds[student] = t1 - t0
    time.sleep(0.5)  # let anything that was killed disappear from /proc
    left = machine.ours(hc.MARKER, watched)
    new_listening = set(machine.listening_sockets()) - listening_before
    tmp_left = sorted(p.name for p in tmpdir.iterdir())

    h.run_nbgrader(course, "generate_feedback", A, "--force", check=False)  # unreadable: none
    h.run_nbgrader(course, "export", f"--to={course.root / 'grades.csv'}")
    from nbgrader.api import Gradebook, MissingEntry

    scores = {}
    with Gradebook(course.db_url) as gb:
        for case in hc.CASES:
            try:
                nb = gb.find_submission_notebook(A, A, case.name)
                scores[case.name] = {g.name: float(g.score) for g in nb.grades}
            except MissingEntry:
                scores[case.name] = None
    with open(course.root / "grades.csv", newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh) if r["assignment"] == A}
    print(f"\nhostile class: {len(hc.CASES)} submissions in {end - start:.0f} s")
    for case in hc.CASES:
        print(f"  {case.name:24} {seconds.get(case.name, 0):5.1f} s  {scores[case.name]}")
    return dict(
        course=course,
        source=source,
        returncode=proc.returncode,
        log="".join(log),
        scores=scores,
        rows=rows,
        seconds=seconds,
        left=left,
        new_listening=new_listening,
        tmp_left=tmp_left,
        total=end - start,
    )


@slow
@pytest.mark.parametrize("name", [c.name for c in hc.CASES])
def test_exact_score(graded, name):
    case = BY_NAME[name]
    assert graded["scores"][name] == case.scores(), case.why
    assert float(graded["rows"][name]["score"]) == sum(case.scores().values())
    if not case.graded:  # nbgrader cannot read it: it says so, and the student gets 0
        assert f"for student '{name}'" in graded["log"]


def autograded(graded, name):
    return h.read_nb(graded["course"].root / "autograded" / name / A / f"{A}.ipynb")


@slow
def test_no_cell_of_any_case_reaches_the_per_cell_time_limit(graded):
    """Kernel cells end on their own (checks run in the grader, each with its budget),
    so nbgrader's per-cell limit, the costliest way to end a cell, is never needed."""
    cut = {
        name: [cell.id for cell in autograded(graded, name).cells if h.cut_at_time_limit(cell)]
        for name in (c.name for c in hc.CASES if c.graded)
    }
    assert {name: cells for name, cells in cut.items() if cells} == {}


@slow
@pytest.mark.parametrize("name", HANGS)
def test_a_hanging_app_is_ended_by_the_checks_own_limit(graded, name):
    cells = h.cells_by_id(autograded(graded, name), h.is_test)
    shown = {
        gid: REASON.findall(
            "".join(o.get("data", {}).get("text/html", "") for o in cells[gid].outputs)
        )
        for gid in hc.APP_TESTS
    }
    assert shown == {gid: ["timeout"] for gid in hc.APP_TESTS}


@slow
def test_only_the_unreadable_notebooks_fail_to_grade(graded):
    failed = set(
        re.findall(r"error processing assignment '[^']+' for student '([^']+)'", graded["log"])
    )
    assert failed == {c.name for c in hc.CASES if not c.graded}
    assert graded["returncode"] == 1  # nbgrader says so, and grades everyone else


@slow
def test_machine_is_clean_afterwards(graded):
    assert graded["left"] == {}, "processes the submissions started are still running"
    assert graded["tmp_left"] == [], "temp files were left behind"
    owners = machine.socket_owners(graded["new_listening"])
    alive = machine.ours(hc.MARKER, [graded["course"].root.parent])
    assert not [pid for pids in owners.values() for pid in pids if pid in alive]


@slow
def test_no_marked_process_anywhere(graded):
    """Stronger than the fixture's check: nothing on the machine carries the marker."""
    pids = [pid for pid, info in machine.processes().items() if hc.MARKER in info["cmdline"]]
    assert pids == [] or all(pid == os.getpid() for pid in pids)


@slow
def test_feedback_explains_without_giving_away_hidden_tests(graded):
    course, source = graded["course"], graded["source"]
    feedback = {
        c.name: course.root / "feedback" / c.name / A / f"{A}.html" for c in hc.CASES if c.graded
    }
    result = h.ClassResult(scores={}, max_scores={}, csv={}, feedback=feedback, seconds=0)
    assert h.feedback_problems(result, source, []) == []
    text = {name: h.html_text(path) for name, path in feedback.items()}
    # Patching the checks in the kernel changes nothing: the kernel never runs a test
    # cell, the grader does, and each of the 3 wrong cells (the second prediction is
    # honest) shows the grader's explanation and the error pointing at it;
    # a dead kernel is explained; a loop says which request hung.
    assert text["fake_a_pass"].count("(the explanation is just above)") == 3
    assert "ran the same check again" not in text["fake_a_pass"]
    for name in ("os_exit", "kill_kernel"):
        assert "kernel died while running this cell" in text[name], name
        assert "this cell did not run" in text[name], name
    assert "did not answer within" in text["loop_in_handler"]


# --------------------------------------------------------------------------- forgeries (sealed)


def _forged_files(root) -> list[str]:
    """Files of the forgery cases where Python, IPython, Jupyter or nbgrader would load
    them: site-packages, the user site, IPython profiles, Jupyter config folders."""
    import site
    from pathlib import Path

    names = set(hc.FORGED_FILES + hc.FORGED_CONFIG)
    ipython = [root / "ipython", Path.home() / ".ipython"]
    folders = [*map(Path, site.getsitepackages()), Path(site.getusersitepackages())]
    folders += [Path(sys.prefix), root / "jupyter-config", Path.home() / ".jupyter"]
    folders += [d / "profile_default" for d in ipython]
    folders += [d / "profile_default" / "startup" for d in ipython]
    return sorted(str(d / n) for d in folders for n in names if (d / n).exists())


@slow
def test_forgeries_leave_no_hook_behind(graded):
    assert _forged_files(graded["course"].root.parent) == []


@slow
def test_forged_grades_never_reach_the_gradebook(graded):
    """Exact scores are asserted per case above; here what the forgeries aimed at."""
    from nbgrader.api import Gradebook

    with Gradebook(graded["course"].db_url) as gb:
        for name in (*hc.CLASSMATES, *hc.FORGERS):
            nb = gb.find_submission_notebook(A, A, name)
            assert [g.extra_credit or 0 for g in nb.grades] == [0] * len(nb.grades), name
            assert [g.manual_score for g in nb.grades] == [None] * len(nb.grades), name
    for name in hc.CLASSMATES:
        assert graded["scores"][name] == hc.POINTS, name


@slow
def test_a_snoops_feedback_holds_no_reference_hidden_test_or_classmate(graded):
    course, source = graded["course"], graded["source"]
    text = h.html_text(course.root / "feedback" / "snoop" / A / f"{A}.html")
    flat = h.normalize(text.replace("\\n", "\n"))
    secret = h.secret_lines(source)
    assert [x for x in sorted(secret["solution"] | secret["hidden"]) if x in flat] == []
    classmates = [c.name for c in hc.CASES if c.name != "snoop" and "_" in c.name]
    assert [name for name in classmates if name in text] == []
    assert "forgery failed: FileNotFoundError" in text  # it tried, and found nothing


# --------------------------------------------------------------------------- the parts, fast


def test_check_calls_are_read_from_the_test_cell_source():
    from autograder.grading.cells import check_calls

    src = 'q3.check("survives_restarts")\n# BEGIN HIDDEN TESTS\n'
    src += 'q3.check("survives_restarts", hidden=True)'
    assert check_calls(src) == [
        ("q3", "survives_restarts", False),
        ("q3", "survives_restarts", True),
    ]
    assert check_calls("q2.check()\nq2.check(hidden=True)") == [
        ("q2", None, False),
        ("q2", None, True),
    ]
    assert check_calls("q2.check(part_name)") is None  # not something the grader can re-run
    assert check_calls("this is not python(") is None
    assert check_calls("pass") == []


def test_a_prediction_is_read_from_the_source_not_the_kernel():
    import nbformat

    from autograder.answers import UNSET as _UNSET
    from autograder.exercises.nb01_one_process import q1
    from autograder.grading.predictions import prediction_value

    def cell(source, gid=None, grade=False, solution=False):
        c = nbformat.v4.new_code_cell(source)
        if gid:
            c.metadata["nbgrader"] = {"grade_id": gid, "grade": grade, "solution": solution}
        return c

    answer = q1.solution_cell
    cells = [cell("x = 1"), cell(f"{q1.variable} = 1", answer, solution=True), cell("q1.check()")]
    assert prediction_value(q1, cells, 2, timeout=10) == 1
    cells[1] = cell(f"{q1.variable} = int('1') + 0", answer, solution=True)  # computed
    assert prediction_value(q1, cells, 2, timeout=10) == 1
    cells[1] = cell(f"{q1.variable} = r.get('x')", answer, solution=True)  # needs the kernel
    assert prediction_value(q1, cells, 2, timeout=10) is _UNSET
    cells[1] = cell("import os\nos._exit(0)", answer, solution=True)
    assert prediction_value(q1, cells, 2, timeout=10) is _UNSET


REAP_PROBE = """
import json, os, subprocess, sys, time
sys.path.insert(0, {repo!r})
from autograder.grading import reap
from autograder.grading.containment import contained
from tests.hostile import machine

def alive():
    return [p for p, i in machine.processes().items()
            if {marker!r} in i["cmdline"] and i["state"] != "Z" and p != os.getpid()]

with contained():
    subprocess.run([sys.executable, "-c", {code!r}], check=True, timeout=30)
    time.sleep(0.3)
    inside = alive()
time.sleep(0.2)
print(json.dumps({{"inside": len(inside), "after": alive(), "below": reap.descendants()}}))
"""


def test_reaping_kills_a_double_forked_daemon_and_a_new_session():
    """In a child process: becoming a subreaper is for graders, not for pytest."""
    import json
    import subprocess

    marker = f"reap-test-{os.getpid()}"
    code = (hc.DOUBLE_FORK + hc.NEW_SESSION).replace(hc.MARKER, marker)
    probe = REAP_PROBE.format(repo=str(h.REPO), marker=marker, code=code)
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    result = json.loads(run.stdout)
    assert result == {"inside": 2, "after": [], "below": []}  # both escaped, both reaped


def test_empty_nbgrader_metadata_of_a_duplicate_is_dropped():
    import nbformat

    from autograder.grading.drop_broken_grade_metadata import DropBrokenGradeMetadata

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("a"), nbformat.v4.new_code_cell("b")]
    nb.cells[0].metadata["nbgrader"] = {}
    nb.cells[1].metadata["nbgrader"] = {"grade_id": "x", "solution": True}
    nb, _ = DropBrokenGradeMetadata().preprocess(nb, {})
    assert "nbgrader" not in nb.cells[0].metadata
    assert nb.cells[1].metadata["nbgrader"]["grade_id"] == "x"
