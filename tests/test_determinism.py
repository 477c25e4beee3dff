"""Same submissions, same scores: every time, in any order, whoever else is in the class.

Why the scores cannot drift:
- every seed comes from the exercise (visible level: 1, hidden: 2-6), never the clock;
- every check part runs in a fresh checker process with its own embedded Redis, emptied
  first, and its own scratch folder; the app's simulated processes get fresh disks;
- the grader kills every process a notebook started and gives each kernel a private
  TMPDIR (autograder.grading), so nothing of one student's run is alive or on disk in
  the shared places when the next student's notebook starts.

What is repeated, and why this split: 10 repetitions of the check layer exactly as the
grader runs it (fresh checker processes, so hash randomisation and timing get their
chance to differ) over a reference, wrong answers from tests/answers and hostile apps;
plus full nbgrader twice over a mixed class in tests/test_class_grading.py (one
sequential run, one parallel run, identical cell by cell). Repeated full nbgrader runs of
a class would cost minutes of CI for no extra coverage: nbgrader's own steps are not
random, the checks are what could be. (It was 20 repetitions and three nbgrader runs until
the real-process platform: CI's minutes went to its checks.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder.exercises.nb01_one_process import q3
from autograder.problem import run_in_checker
from tests import nbgrader_harness as h
from tests.hostile import cases as hc

A = hc.ASSIGNMENT
REPEATS = 10
WRONG = ("global_variable", "cache_loaded_at_start")
HOSTILE = ("redis_abuse_app",)


def answers() -> dict[str, str]:
    """App sources: the reference, catalogued wrong answers, hostile apps."""
    out = {"reference": hc.app()}
    for case in h.load_cases(A):
        if case.answer_id == "counter_redis_app" and case.name in WRONG:
            out[case.name] = case.source
    for case in hc.CASES:
        if case.name in HOSTILE:
            out[case.name] = case.replace["counter_redis_app"]
    assert len(out) == 1 + len(WRONG) + len(HOSTILE)
    return {name: src.split("\n", 1)[1] for name, src in out.items()}  # drop %%writefile


def test_plans_are_a_function_of_the_seed():
    for part, plan in q3.plans.items():
        for seed in (*q3.seeds_visible, *q3.seeds_hidden):
            assert repr(plan(seed)) == repr(plan(seed)), (part, seed)


def test_ten_gradings_of_the_check_layer_agree(tmp_path):
    apps = {}
    for name, source in answers().items():
        folder = tmp_path / name
        folder.mkdir()
        apps[name] = folder / q3.app_file
        apps[name].write_text(source)
    jobs = [(name, part) for name in apps for part in q3.parts]

    def once(_round):
        return {
            f"{name}/{part}": json.dumps(
                run_in_checker(q3, part, apps[name], hidden=True).as_dict(), sort_keys=True
            )
            for name, part in jobs
        }

    with ThreadPoolExecutor(max_workers=2) as pool:
        rounds = list(pool.map(once, range(REPEATS)))
    first = rounds[0]
    for i, other in enumerate(rounds[1:], start=2):
        assert other == first, f"round {i} differs from round 1"
    outcomes = {key: json.loads(v)["outcome"] for key, v in first.items()}
    assert outcomes["reference/shared_by_processes"] == "correct"
    assert outcomes["global_variable/survives_restarts"] == "incorrect"
    print(f"\n{REPEATS} x {len(jobs)} checks identical: {outcomes}")


POISON = "poison-marker-{token}"
POISONER = """import os, subprocess, sys, tempfile
r = start_redis()
r.set("hits", 1000)
r.set("poison", "a")
open("poison.txt", "w").write("a")
open(os.path.join(tempfile.gettempdir(), "poison-a"), "w").write("a")
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(900)", {marker!r}],
                 start_new_session=True, stdin=subprocess.DEVNULL,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
global_after_restart = 1"""
PROBE = '''import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
KEY = "hits"
SHARED_TMP = {tmp!r}


def poisoned():
    """Anything student A left: a key, a file, a process."""
    if r.exists("poison") or os.path.exists("poison.txt"):
        return True
    for _folder, _dirs, files in os.walk(SHARED_TMP):
        if "poison-a" in files:
            return True
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{{pid}}/cmdline", "rb") as fh:
                if {marker!r}.encode() in fh.read():
                    return True
        except OSError:
            pass
    return False


def hit():
    return r.incr(KEY) + (1000 if poisoned() else 0)


def count():
    return int(r.get(KEY) or 0) + (1000 if poisoned() else 0)
'''


@pytest.mark.slow
def test_one_students_run_never_reaches_another(tmp_path):
    """Student A's notebook leaves a Redis key, files and a detached process; student B's
    app adds 1000 to every answer if it can see any of them. B must get full marks."""
    marker = POISON.format(token=tmp_path.name)
    shared_tmp = tmp_path / "tmp"
    shared_tmp.mkdir()
    course = h.make_course(tmp_path)
    release = h.generate_release(course, A)
    source = course.source_nb(A)
    subs = {
        "a_poisoner": h.build_submission(
            release, source, {"predict_global_restart": POISONER.format(marker=marker)}
        ),
        "b_probe": h.build_submission(
            release,
            source,
            {
                "counter_redis_app": "%%writefile counter_redis.py\n"
                + PROBE.format(tmp=str(shared_tmp), marker=marker)
            },
        ),
    }
    for student, nb in subs.items():
        folder = course.root / "submitted" / student / A
        folder.mkdir(parents=True)
        (folder / f"{A}.ipynb").write_text(json.dumps(nb))
    env = h.child_env(tmp_path)
    env["TMPDIR"] = str(shared_tmp)
    run = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", A, "--force"],
        cwd=course.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=h.CLI_TIMEOUT,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    from nbgrader.api import Gradebook

    points = h.graded_points(source)
    with Gradebook(course.db_url) as gb:
        for student in subs:
            nb = gb.find_submission_notebook(A, A, student)
            assert {g.name: float(g.score) for g in nb.grades} == points, student
    assert list(shared_tmp.iterdir()) == []
    assert Path(course.root / "autograded" / "a_poisoner" / A / "poison.txt").exists()
