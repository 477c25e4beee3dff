"""make bench: costs measured side by side in one run, printed as ratios.

Timings on shared machines are noisy, so each pair is measured interleaved (A, B, A, B,
...) in the same run and reported as a ratio of medians. Nothing here is a test: the
numbers inform design decisions and closing notes.

(a) one simulated request (router + process switch + the app's INCR over TCP to fakeredis)
    vs the same handler called directly with the same Redis client;
(b) `nbgrader autograde` of notebook 02's reference submission vs the same notebook with
    its test cells emptied (the cost of the checks themselves).
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
        release, source = harness.release_and_source(course, assignment)
        reference = harness.build_submission(release, source, {})
        emptied = harness.empty_test_cells(reference)
        for _ in range(rounds):
            for label, notebook in (("with checks", reference), ("test cells emptied", emptied)):
                start = time.perf_counter()
                harness.autograde_class(course, assignment, {"bench": notebook})
                timings[label].append(time.perf_counter() - start)
    full = statistics.median(timings["with checks"])
    empty = statistics.median(timings["test cells emptied"])
    print(f"(b) nbgrader autograde of {assignment}: reference vs test cells emptied")
    print(
        f"    with checks: {full:.1f} s   emptied: {empty:.1f} s   ratio: {full / empty:.2f}x"
        f"   ({rounds} rounds each, interleaved)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    args = parser.parse_args()
    bench_request(rounds=5 if args.quick else 20, batch=100 if args.quick else 300)
    bench_autograde(rounds=1 if args.quick else 3)


if __name__ == "__main__":
    main()
