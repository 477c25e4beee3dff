"""`python -m autograder grade`: the parallel class grader gives sequential nbgrader's grades.

One small class of notebook 01 (reference, untouched, a catalogued wrong answer with
partial credit, two hostile notebooks and one unreadable file) is graded twice with the
real nbgrader: once by plain sequential ``nbgrader autograde``, once by the parallel
grader (2 jobs). Both must agree cell by cell (that repeated gradings agree is
tests/test_determinism.py's part), and the parallel grader's CSV must be the one
``nbgrader export`` writes. This is also the full-pipeline half of the determinism proof
(tests/test_determinism.py explains the split).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from autograder.grading import classgrade
from tests import nbgrader_harness as h
from tests.hostile import cases as hostile

A = hostile.ASSIGNMENT
WRONG = ("cache_loaded_at_start",)  # partial: a passing and a failing cell
HOSTILE = ("fake_a_pass", "os_exit", "invalid_json")


def write_class(course, tmp_path) -> dict[str, dict[str, float]]:
    """Submit the class into course; returns the expected scores per test cell."""
    release = h.generate_release(course, A)
    source = course.source_nb(A)
    cases = {c.name: c for c in h.load_cases(A) if c.answer_id == "counter_redis_app"}
    files, expected = {}, {}
    points = h.graded_points(source)
    files["reference"] = json.dumps(h.build_submission(release, source)).encode()
    expected["reference"] = dict(points)
    files["untouched"] = release.read_bytes()
    expected["untouched"] = dict.fromkeys(points, 0.0)
    for name in WRONG:
        case = cases[name]
        nb = h.build_submission(release, source, {case.answer_id: case.source})
        files[name] = json.dumps(nb).encode()
        expected[name] = h.expected_scores(points, case.expect)
    for case in hostile.CASES:
        if case.name in HOSTILE:
            files[case.name] = hostile.build(case, release, source)
            expected[case.name] = case.scores()
    for student, data in files.items():
        folder = course.root / "submitted" / student / A
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{A}.ipynb").write_bytes(data)
    return expected


def gradebook_scores(course) -> dict[str, dict[str, float] | None]:
    from nbgrader.api import Gradebook, MissingEntry

    out = {}
    with Gradebook(course.db_url) as gb:
        for student in gb.students:
            try:
                nb = gb.find_submission_notebook(A, A, student.id)
            except MissingEntry:
                out[student.id] = None
                continue
            out[student.id] = {g.name: float(g.score) for g in nb.grades}
    return out


def csv_rows(path) -> dict[str, dict[str, str]]:
    with open(path, newline="") as fh:
        return {
            r["student_id"]: {k: v for k, v in r.items() if k != "timestamp"}
            for r in csv.DictReader(fh)
        }


def run_parallel(course, jobs=2) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograder", "grade", A, "--course", str(course.root)]
        + ["--jobs", str(jobs), "--csv", str(course.root / "parallel.csv")],
        cwd=course.root,
        env=h.child_env(course.root.parent),
        capture_output=True,
        text=True,
        timeout=h.CLI_TIMEOUT,
    )


@pytest.mark.slow
def test_parallel_grader_matches_sequential_nbgrader(tmp_path):
    seq = h.make_course(tmp_path / "sequential")
    par = h.make_course(tmp_path / "parallel")
    expected = write_class(seq, tmp_path)
    assert write_class(par, tmp_path) == expected

    h.run_nbgrader(seq, "autograde", A, "--force", check=False)  # exits 1: invalid_json
    h.run_nbgrader(seq, "export", f"--to={seq.root / 'export.csv'}")
    sequential = gradebook_scores(seq)
    assert sequential == expected

    run = run_parallel(par)
    assert run.returncode == 1, run.stdout + run.stderr  # one ungradable submission
    # The summary table and the progress bar.
    assert f"{len(expected)}/{len(expected)} graded" in run.stderr
    assert "invalid_json" in run.stdout and "FAILED" in run.stdout
    assert f"{len(expected) - 1} graded, 1 failed" in run.stdout
    assert gradebook_scores(par) == sequential

    # The CSV is nbgrader export's, and it agrees with sequential nbgrader's own export.
    h.run_nbgrader(par, "export", f"--to={par.root / 'export.csv'}")
    assert csv_rows(par.root / "parallel.csv") == csv_rows(par.root / "export.csv")
    assert csv_rows(par.root / "parallel.csv") == csv_rows(seq.root / "export.csv")

    # The merged course works with the rest of nbgrader: feedback for every graded student.
    h.run_nbgrader(par, "generate_feedback", A, "--force", check=False)  # none for invalid_json
    for student in expected:
        feedback = par.root / "feedback" / student / A / f"{A}.html"
        assert feedback.exists() == (student != "invalid_json"), student


def test_shards_split_the_class_and_keep_every_student(tmp_path):
    course = h.make_course(tmp_path)
    (course.root / "gradebook.db").write_bytes(b"")
    (course.root / "source" / A).mkdir(parents=True, exist_ok=True)
    students = [f"s{i:02d}" for i in range(9)]
    for s in students:
        (course.root / "submitted" / s / A).mkdir(parents=True)
    assert classgrade.submitted_students(course.root, A) == students
    shards = classgrade.make_shards(course.root, A, students, 2, tmp_path / "scratch")
    assert [len(s.students) for s in shards] == [3, 3, 3]  # ~2 shards per job, even sizes
    assert [s for shard in shards for s in shard.students] == students
    for shard in shards:
        assert sorted(p.name for p in (shard.root / "submitted").iterdir()) == shard.students
        assert (shard.root / "gradebook.db").exists()


def test_cli_usage():
    from autograder.__main__ import main

    assert main([]) == 2
    assert main(["nonsense"]) == 2


# nbgrader 0.9.6's own gradebook code warns about its session handling (not ours).
@pytest.mark.filterwarnings("ignore:Object of type:sqlalchemy.exc.SAWarning")
def test_the_merge_copies_only_what_autograde_computes(tmp_path, monkeypatch):
    """Manual grades, extra credit, comments, flags and extensions given by the instructor
    survive a parallel re-autograde; whatever else the shard's gradebook says does not."""
    import datetime
    import os
    import shutil
    import sys

    from nbgrader.api import Gradebook

    from autograder.grading import classgrade

    # nbgrader runs `alembic` by name when it creates a gradebook.
    monkeypatch.setenv(
        "PATH", os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]])
    )
    course = tmp_path / "course"
    shard = classgrade.Shard(0, ["alice"], tmp_path / "shard")
    course.mkdir()
    shard.root.mkdir()
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.add_assignment("a1")
        gb.add_notebook("a1", "a1")
        gb.add_grade_cell("t1", "a1", "a1", max_score=2, cell_type="code")
        gb.add_solution_cell("s1", "a1", "a1")
        gb.add_student("alice")
        sub = gb.add_submission("a1", "alice", timestamp=datetime.datetime(2026, 1, 1))
        sub.extension = datetime.timedelta(days=2)
        nb = gb.find_submission_notebook("a1", "a1", "alice")
        nb.flagged = True
        grade = gb.find_grade("t1", "a1", "a1", "alice")
        grade.auto_score, grade.manual_score, grade.extra_credit = 0.0, 1.5, 0.5
        gb.find_comment("s1", "a1", "a1", "alice").manual_comment = "see me"
        gb.db.commit()
    shutil.copy(course / "gradebook.db", shard.root / "gradebook.db")
    with Gradebook(f"sqlite:///{shard.root / 'gradebook.db'}") as gb:
        grade = gb.find_grade("t1", "a1", "a1", "alice")
        grade.auto_score = 2.0  # what autograde computed
        grade.manual_score, grade.extra_credit = 2.0, 100.0  # not autograde's to say
        gb.find_comment("s1", "a1", "a1", "alice").auto_comment = "computed"
        gb.find_comment("s1", "a1", "a1", "alice").manual_comment = "forged"
        gb.find_submission_notebook("a1", "a1", "alice").flagged = False
        gb.db.commit()

    classgrade.merge_shard(course, shard, "a1")

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("t1", "a1", "a1", "alice")
        assert (grade.auto_score, grade.manual_score, grade.extra_credit) == (2.0, 1.5, 0.5)
        comment = gb.find_comment("s1", "a1", "a1", "alice")
        assert (comment.auto_comment, comment.manual_comment) == ("computed", "see me")
        assert gb.find_submission_notebook("a1", "a1", "alice").flagged is True
        assert gb.find_submission("a1", "alice").extension == datetime.timedelta(days=2)
