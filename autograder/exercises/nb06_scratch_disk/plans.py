"""The plans of 06: a logic phase on one process, then the file host misbehaving."""

from __future__ import annotations

import random

from ...filehost import CUT, MISSING, STALL
from ...steps import Action, Phase, Scenario
from .data import fresh_host, host_env
from .steps import disk_clean, kill_at_every_step, must_fail, overlap, request, upload

VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2,)  # one hidden seed: the schedules are fixed, and CI pays per seed


# -- q1: summarise a downloaded file -------------------------------------------------------
def private_files_plan(seed: int) -> Scenario:
    rng = random.Random(seed)
    names = [f"orders-{m}.csv" for m in ("jan", "feb", "mar", "apr", "may")]
    fresh_host(seed, names)
    a, b, c, d, e = rng.sample(names, 5)
    logic = [request("summarise", a), request("summarise", b), request("summarise", a)]
    steps: list = [
        overlap("summarise", a, b, 0),
        overlap("summarise", c, a, 1),
        upload(a, seed * 100 + 1),
        request("summarise", a),
        request("summarise", a),
        request("summarise", a),
        Action("restart"),
        overlap("summarise", d, e, 0),
        upload(d, seed * 100 + 2),
        request("summarise", d),
        request("summarise", d),
    ]
    for round_ in range(2 if seed not in VISIBLE_SEEDS else 1):  # hidden: one round more
        steps.append(overlap("summarise", rng.choice(names), rng.choice(names), rng.randrange(3)))
        steps.append(upload(rng.choice(names), seed * 100 + 10 + round_))
        steps += [request("summarise", rng.choice(names)) for _ in range(3)]
        steps.append(Action("kill", rng.randrange(3)))
    env = host_env()
    return Scenario(
        [
            Phase(1, "round-robin", logic, env=env),
            Phase(3, "round-robin", steps, env=env),
        ],
        seed=seed,
        stores_state=False,
    )


def clean_disk_plan(seed: int) -> Scenario:
    rng = random.Random(seed)
    names = [f"orders-{m}.csv" for m in ("jun", "jul", "aug", "sep")]
    fresh_host(seed, names)
    a, b, c, d = rng.sample(names, 4)
    steps: list = [
        request("summarise", a),
        disk_clean(f"summarise({a!r})"),
        request("summarise", b),
        request("summarise", a),
        disk_clean("three downloads"),
        must_fail("summarise", "orders-dec.csv", MISSING, 0),
        disk_clean("a 404"),
        must_fail("summarise", c, CUT, 1),
        disk_clean("a download cut half way"),
        request("summarise", c),
        must_fail("summarise", d, STALL, 0),
        disk_clean("a download that stalled"),
        request("summarise", d),
        disk_clean("the retries"),
    ]
    env = host_env()
    return Scenario([Phase(2, "round-robin", steps, env=env)], seed=seed, stores_state=False)


# -- q2: a report job that stores its result in Redis --------------------------------------
def all_or_nothing_plan(seed: int) -> Scenario:
    rng = random.Random(seed)
    names = [f"orders-{m}.csv" for m in ("jan", "feb", "mar")]
    trials = [f"trial-{n}.csv" for n in range(1, 9)]
    fresh_host(seed, names + trials, rows=300)
    a, b, c = rng.sample(names, 3)
    logic = [
        request("get_report", a),
        request("build_report", a),
        request("get_report", a),
        request("build_report", b),
        request("get_report", b),
    ]
    steps: list = [
        request("get_report", a),
        request("get_report", b),
        kill_at_every_step(trials),
        disk_clean("the killed requests and their retries"),
        *[request("get_report", t) for t in trials[:3]],
        Action("restart"),
        request("get_report", a),
        request("build_report", c),
        request("get_report", c),
        request("get_report", c),
        Action("kill", rng.randrange(2)),
        request("get_report", c),
        disk_clean("every request"),
    ]
    env = host_env()
    return Scenario(
        [
            Phase(1, "round-robin", logic, env=env),
            Phase(2, "round-robin", steps, env=env),
        ],
        seed=seed,
    )


def failed_download_plan(seed: int) -> Scenario:
    rng = random.Random(seed)
    names = [f"orders-{m}.csv" for m in ("jun", "jul", "aug")]
    fresh_host(seed, names, rows=300)
    a, b, c = rng.sample(names, 3)
    steps: list = [
        request("build_report", a),
        request("get_report", a),
        must_fail("build_report", b, CUT, 0),
        disk_clean("a download cut half way"),
        request("get_report", b),
        request("build_report", b),
        request("get_report", b),
        upload(a, seed * 100 + 1),
        must_fail("build_report", a, CUT, 1),
        disk_clean("a download cut half way"),
        request("get_report", a),
        request("build_report", a),
        request("get_report", a),
        must_fail("build_report", "orders-dec.csv", MISSING, 0),
        request("get_report", "orders-dec.csv"),
        upload(c, seed * 100 + 2),
        request("build_report", c),
        request("get_report", c),
        disk_clean("every request"),
    ]
    env = host_env()
    return Scenario([Phase(2, "round-robin", steps, env=env)], seed=seed)
