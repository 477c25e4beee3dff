"""make bench: costs measured side by side in one run, printed as ratios.

Timings on shared machines are noisy, so each pair is measured interleaved (A, B, A, B,
...) in the same run and reported as a ratio of medians. Nothing here is a test: the
numbers inform design decisions and closing notes.

(a) one simulated request (router + a round trip to the app's OS process + the app's INCR
    over TCP to fakeredis) vs the same handler called directly with the same Redis client;
(b) `nbgrader autograde` of notebook 02's reference submission vs the same notebook with
    its test cells emptied (the cost of the checks themselves);
(c) a class of 40 graded by sequential `nbgrader autograde` vs `python -m autograder
    grade` on all cores (the parallel class grader's speed-up);
(d) the same class autograded sealed (every kernel and check re-run in bubblewrap, the
    default) vs unsealed (`--GuardedExecute.sandbox=none`): the sandbox's cost;
(e) `autograder.progress()` for the whole course with every reference answer in place:
    cold (every part checked) vs warm (each part recorded by a visible check already);
(f) starting and restarting one app process (fork server), and a cold start (spawn);
(g) the median and worst check() time of every exercise part, visible and hidden, on its
    reference answer: this checkout vs an older one (``--before DIR``, a checkout or
    ``git archive`` of the commit to compare with), interleaved;
(h) notebook 09's real deployment (honcho, gunicorn with 3 workers, the deployment's
    Redis) vs the simulated platform's 3 processes, the same counter in one file:
    start until the first answer, one request, and teardown (with the orphan scan).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

APP = """
import os
import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"])


def hit():
    return r.incr("hits")
"""


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_request(rounds: int, batch: int) -> None:
    from autograder.backing import RedisService
    from autograder.cluster import Cluster

    with tempfile.TemporaryDirectory() as folder, RedisService() as service:
        app = Path(folder) / "bench_counter.py"
        app.write_text(APP)
        # The direct baseline: the same file imported once as an ordinary module.
        import os

        os.environ["REDIS_URL"] = service.url
        spec = importlib.util.spec_from_file_location("bench_counter_direct", app)
        direct = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(direct)
        with Cluster(app, processes=3, redis=service, capture_output=True) as cluster:
            simulated, plain = [], []
            for _ in range(rounds):
                start = time.perf_counter()
                for _ in range(batch):
                    cluster.request("hit")
                simulated.append((time.perf_counter() - start) / batch)
                start = time.perf_counter()
                for _ in range(batch):
                    direct.hit()
                plain.append((time.perf_counter() - start) / batch)
        direct.r.close()
    sim_ms, direct_ms = _median_ms(simulated), _median_ms(plain)
    print("(a) one request, 3 simulated processes vs a direct call (same Redis, same INCR)")
    print(
        f"    simulated: {sim_ms:.3f} ms   direct: {direct_ms:.3f} ms   "
        f"ratio: {sim_ms / direct_ms:.2f}x   ({rounds} rounds x {batch} requests)"
    )


def bench_autograde(rounds: int) -> None:
    from tests import nbgrader_harness as harness

    assignment = "02-backing-services"
    timings = {"with checks": [], "test cells emptied": []}
    with tempfile.TemporaryDirectory() as folder:
        course = harness.make_course(Path(folder))
        release = harness.generate_release(course, assignment)
        source = course.source_nb(assignment)
        reference = harness.build_submission(release, source)
        tests = harness.cells_by_id(release, harness.is_test)
        emptied = harness.build_submission(release, source, {gid: "pass" for gid in tests})
        for _ in range(rounds):
            for label, notebook in (("with checks", reference), ("test cells emptied", emptied)):
                result = harness.autograde_class(course, assignment, {"bench": notebook})
                timings[label].append(result.seconds)
    full = statistics.median(timings["with checks"])
    empty = statistics.median(timings["test cells emptied"])
    print(f"(b) nbgrader autograde of {assignment}: reference vs test cells emptied")
    print(
        f"    with checks: {full:.1f} s   emptied: {empty:.1f} s   ratio: {full / empty:.2f}x"
        f"   ({rounds} rounds each, interleaved)"
    )


def bench_class_grading(students: int) -> None:
    """(c) a synthetic class of notebook 01, graded by sequential `nbgrader autograde` and
    by `python -m autograder grade` on all cores, each in its own copy of the course."""
    import json
    import os
    import subprocess

    from tests import nbgrader_harness as harness
    from tests.hostile import cases as hostile

    assignment = hostile.ASSIGNMENT
    hostile_cases = [c for c in hostile.CASES if c.graded and c.name != "reference"]
    hostile_cases = [c for c in hostile_cases if not c.name.startswith("loop")][:6]
    wrong = [c for c in harness.load_cases(assignment) if c.expect][:8]
    jobs = os.cpu_count() or 1
    timings = {}
    with tempfile.TemporaryDirectory() as folder:
        for label in ("sequential", "parallel"):
            course = harness.make_course(Path(folder) / label)
            release = harness.generate_release(course, assignment)
            source = course.source_nb(assignment)
            mix = []
            for i in range(students):  # half reference, a quarter wrong, a quarter hostile
                if i % 4 == 1 and wrong:
                    case = wrong[i % len(wrong)]
                    nb = harness.build_submission(release, source, {case.answer_id: case.source})
                    mix.append(json.dumps(nb).encode())
                elif i % 4 == 3 and hostile_cases:
                    mix.append(
                        hostile.build(hostile_cases[i % len(hostile_cases)], release, source)
                    )
                else:
                    mix.append(json.dumps(harness.build_submission(release, source)).encode())
            for i, data in enumerate(mix):
                target = course.root / "submitted" / f"student{i:03d}" / assignment
                target.mkdir(parents=True)
                (target / f"{assignment}.ipynb").write_bytes(data)
            start = time.perf_counter()
            if label == "sequential":
                harness.run_nbgrader(course, "autograde", assignment, "--force", check=False)
            else:
                subprocess.run(
                    [sys.executable, "-m", "autograder", "grade", assignment]
                    + ["--course", str(course.root), "--jobs", str(jobs), "--no-progress"],
                    env=harness.child_env(course.root.parent),
                    capture_output=True,
                    check=False,
                )
            timings[label] = time.perf_counter() - start
    seq, par = timings["sequential"], timings["parallel"]
    print(f"(c) grading a class of {students} ({assignment}: reference, wrong, hostile)")
    print(
        f"    sequential nbgrader: {seq:.0f} s   parallel, {jobs} jobs: {par:.0f} s   "
        f"speed-up: {seq / par:.2f}x   ({os.cpu_count()} cores, one run each)"
    )


def bench_process_start(rounds: int) -> None:
    import os

    from autograder.backing import RedisService
    from autograder.cluster import Cluster

    timings: dict[str, list[float]] = {"start": [], "restart": [], "spawn start": []}
    with tempfile.TemporaryDirectory() as folder, RedisService() as service:
        app = Path(folder) / "bench_counter.py"
        app.write_text(APP)
        with Cluster(app, processes=1, redis=service) as cluster:
            for _ in range(rounds):
                start = time.perf_counter()
                cluster.scale(2)
                timings["start"].append(time.perf_counter() - start)
                cluster.scale(1)
                start = time.perf_counter()
                cluster.restart(0)
                timings["restart"].append(time.perf_counter() - start)
        os.environ["AUTOGRADER_START"] = "spawn"
        try:
            for _ in range(max(1, rounds // 5)):
                start = time.perf_counter()
                Cluster(app, processes=1, redis=service).close()
                timings["spawn start"].append(time.perf_counter() - start)
        finally:
            del os.environ["AUTOGRADER_START"]
    print("(f) app processes: start one more (scale 1 -> 2), graceful restart, cold spawn")
    print(
        "    "
        + "   ".join(
            f"{name}: {_median_ms(samples):.1f} ms (worst {max(samples) * 1000:.1f})"
            for name, samples in timings.items()
        )
    )


CHECK_TIMER = """
import json, sys, tempfile, time
from pathlib import Path
from tests.course_index import all_exercises, is_app, reference_body
times = {}
rounds = int(sys.argv[1])
for exercise in all_exercises():
    if not is_app(exercise):
        continue
    with tempfile.TemporaryDirectory() as folder:
        app = Path(folder) / exercise.app_file
        app.write_text(reference_body(exercise))
        for part in exercise.parts:
            for hidden in (False, True):
                level = "hidden" if hidden else "visible"
                key = f"{exercise.notebook} {exercise.name} {part} {level}"
                for _ in range(rounds):
                    start = time.perf_counter()
                    result = exercise.evaluate(part, hidden=hidden, app=app)
                    times.setdefault(key, []).append(time.perf_counter() - start)
                    assert result.passed, (key, result.text())
print(json.dumps(times))
"""


DEPLOYED_APP = """
import os

import redis
from flask import Flask

r = redis.Redis.from_url(os.environ["REDIS_URL"])
app = Flask(__name__)


@app.get("/hit")
def web_hit():
    return str(r.incr("hits"))


def hit():
    return r.incr("hits")
"""


def _first_answer(url: str, seconds: float = 30.0) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while True:
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.01)


def bench_deployment(rounds: int, batch: int) -> None:
    """(h) interleaved: a simulated cluster, then a real deployment, ``rounds`` times."""
    import requests

    from autograder.backing import RedisService
    from autograder.cluster import Cluster
    from autograder.deploy import deploy_app
    from autograder.redis_server import DeploymentRedis

    phases = ("start", "request", "teardown")
    sim = {phase: [] for phase in phases}
    real = {phase: [] for phase in phases}
    with tempfile.TemporaryDirectory() as folder, DeploymentRedis() as store:
        app = Path(folder) / "bench_hits.py"
        app.write_text(DEPLOYED_APP)
        with RedisService(store.url) as service:
            for n in range(rounds):
                start = time.perf_counter()
                cluster = Cluster(app, processes=3, redis=service)
                cluster.request("hit")
                sim["start"].append(time.perf_counter() - start)
                start = time.perf_counter()
                for _ in range(batch):
                    cluster.request("hit")
                sim["request"].append((time.perf_counter() - start) / batch)
                start = time.perf_counter()
                cluster.close()
                sim["teardown"].append(time.perf_counter() - start)

                start = time.perf_counter()
                deployment = deploy_app(
                    app, root=Path(folder) / f"d{n}", redis_url=store.url, workers=3
                ).start()
                try:
                    _first_answer(deployment.url + "/hit")
                    real["start"].append(time.perf_counter() - start)
                    with requests.Session() as client:
                        start = time.perf_counter()
                        for _ in range(batch):
                            client.get(deployment.url + "/hit", timeout=5).raise_for_status()
                        real["request"].append((time.perf_counter() - start) / batch)
                finally:
                    start = time.perf_counter()
                    deployment.close()
                    real["teardown"].append(time.perf_counter() - start)
    print(
        f"(h) 09's real deployment ({store.describe()}) vs 3 simulated processes, "
        f"{rounds} rounds, {batch} requests each"
    )
    for phase in phases:
        r_ms, s_ms = _median_ms(real[phase]), _median_ms(sim[phase])
        ratio = r_ms / s_ms
        print(f"    {phase:9} real: {r_ms:8.2f} ms   simulated: {s_ms:8.2f} ms   {ratio:6.2f}x")


def _time_checks(root: Path, rounds: int) -> dict[str, list[float]]:
    import json
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["PYTHONPATH"] = str(root)
    run = subprocess.run(
        [sys.executable, "-c", CHECK_TIMER, str(rounds)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def bench_checks(rounds: int, before: Path | None) -> None:
    after: dict[str, list[float]] = {}
    old: dict[str, list[float]] = {}
    for _ in range(rounds):  # interleaved: before, after, before, after, ...
        if before is not None:
            for key, samples in _time_checks(before, 1).items():
                old.setdefault(key, []).extend(samples)
        for key, samples in _time_checks(REPO, 1).items():
            after.setdefault(key, []).extend(samples)
    print(f"(g) check() of every reference answer, {rounds} round(s): median / worst, seconds")
    for key, samples in after.items():
        now = f"{statistics.median(samples):5.2f} / {max(samples):5.2f}"
        if key in old:
            then = f"{statistics.median(old[key]):5.2f} / {max(old[key]):5.2f}"
            ratio = statistics.median(samples) / statistics.median(old[key])
            print(f"    {key:48} before {then}   after {now}   {ratio:.2f}x")
        else:
            print(f"    {key:48} {now}")


def bench_sealed(students: int, rounds: int) -> None:
    """(d) one class of notebook 01 (reference and wrong answers), autograded by plain
    `nbgrader autograde`, sealed and unsealed in turn, each run in a fresh copy."""
    import json

    from tests import nbgrader_harness as harness

    assignment = "01-one-process"
    wrong = [c for c in harness.load_cases(assignment) if c.expect]
    timings = {"sealed": [], "unsealed": []}
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(rounds):
            for label in ("sealed", "unsealed"):
                course = harness.make_course(Path(folder) / f"{label}-{round_}")
                release = harness.generate_release(course, assignment)
                source = course.source_nb(assignment)
                for i in range(students):
                    replace = {}
                    if i % 2 and wrong:
                        case = wrong[i % len(wrong)]
                        replace = {case.answer_id: case.source}
                    nb = harness.build_submission(release, source, replace)
                    target = course.root / "submitted" / f"student{i:03d}" / assignment
                    target.mkdir(parents=True)
                    (target / f"{assignment}.ipynb").write_text(json.dumps(nb))
                extra = [] if label == "sealed" else ["--GuardedExecute.sandbox=none"]
                start = time.perf_counter()
                harness.run_nbgrader(course, "autograde", assignment, "--force", *extra)
                timings[label].append(time.perf_counter() - start)
    sealed = statistics.median(timings["sealed"])
    unsealed = statistics.median(timings["unsealed"])
    print(f"(d) autograde of {students} submissions of {assignment}: sealed vs unsealed")
    print(
        f"    sealed: {sealed:.1f} s   unsealed: {unsealed:.1f} s   "
        f"ratio: {sealed / unsealed:.3f}x ({100 * (sealed / unsealed - 1):+.1f}%)   "
        f"({rounds} rounds each, interleaved; {sealed / students:.1f} s per submission)"
    )


def course_folder(folder: Path) -> None:
    """A notebooks folder where every exercise holds its reference answer."""
    import json

    from autograder.problem import AppExercise, Prediction
    from tests.course_index import all_exercises, reference_body

    for exercise in all_exercises():
        if isinstance(exercise, AppExercise):
            (folder / exercise.app_file).write_text(reference_body(exercise))
        elif isinstance(exercise, Prediction):
            path = folder / f"{exercise.notebook}.ipynb"
            if not path.exists():
                path.write_text((REPO / "notebooks" / path.name).read_text())
            nb = json.loads(path.read_text())
            for cell in nb["cells"]:
                if cell["metadata"].get("nbgrader", {}).get("grade_id") == exercise.solution_cell:
                    cell["source"] = [f"{exercise.variable} = {exercise.answer!r}\n"]
            path.write_text(json.dumps(nb))


def bench_progress() -> None:
    from autograder.progress import RECORD, progress

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        course_folder(folder)
        cold = progress(folder)
        warm = progress(folder)
        (folder / RECORD).unlink()
        cold_again = progress(folder)
    counts = cold.counts()
    print("(e) autograder.progress() for the whole course, every reference answer in place")
    print(
        f"    cold: {cold.seconds:.1f} s and {cold_again.seconds:.1f} s   warm: "
        f"{warm.seconds:.2f} s   ratio: {cold.seconds / warm.seconds:.0f}x   ({counts})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    parser.add_argument(
        "--only", choices=["a", "b", "c", "d", "e", "f", "g", "h"], help="run one benchmark"
    )
    parser.add_argument("--before", type=Path, help="an older checkout to compare checks with")
    args = parser.parse_args()
    quick = args.quick
    benchmarks = {
        "a": lambda: bench_request(rounds=5 if quick else 20, batch=100 if quick else 300),
        "b": lambda: bench_autograde(rounds=1 if quick else 3),
        "c": lambda: bench_class_grading(students=8 if quick else 40),
        "d": lambda: bench_sealed(students=4 if quick else 8, rounds=1 if quick else 3),
        "e": bench_progress,
        "f": lambda: bench_process_start(rounds=10 if quick else 40),
        "g": lambda: bench_checks(rounds=1 if quick else 3, before=args.before),
        "h": lambda: bench_deployment(rounds=2 if quick else 5, batch=50 if quick else 200),
    }
    for name, run in benchmarks.items():
        if args.only in (None, name):
            run()


if __name__ == "__main__":
    main()
