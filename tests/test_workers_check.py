"""Notebook 08's crash engine tries every crash point: as many as the job has Redis
commands, plus one per command of the web request, and the feedback says how many.
(What it finds in wrong answers is proved by the catalogue, tests/answers/08-workers.)"""

from __future__ import annotations

import re
from pathlib import Path

from autograder.exercises.nb08_workers import worker_app
from autograder.formation import Formation, parse_procfile

ANSWERS = Path(__file__).resolve().parent / "answers" / "08-workers" / "worker_app"


def commands_of_one_job(app: Path, redis) -> tuple[int, int]:
    types = parse_procfile("web: place_order\nworker: work_one\n")
    with Formation(app, types, scale={"web": 1, "worker": 1}, redis_url=redis.url) as f:
        for order_id in ("o-1", "o-2"):  # the second: Redis knows the scripts already
            order = {"order_id": order_id, "user": "ana", "amount": 5}
            web = f.run("web", 0, order).commands
            worker = f.run("worker", 0).commands
    redis.flush()
    return len(web), len(worker)


def test_every_command_of_a_job_is_a_crash_point(redis_service):
    app = ANSWERS / "correct_lua_take.py"
    web, worker = commands_of_one_job(app, redis_service)
    assert (web, worker) == (2, 6)  # HSET LPUSH; LRANGE EVALSHA HINCRBY HGETALL HSETNX EXEC
    result = worker_app.run_here("survives_crashes", app, level="visible", redis=redis_service)
    assert result.passed, result.text()
    tried = int(re.match(r"(\d+) crash points", result.summary).group(1))
    assert tried == web + worker


def test_a_crash_point_that_loses_a_job_names_it(redis_service):
    result = worker_app.run_here(
        "survives_crashes", ANSWERS / "rpop_queue.py", level="visible", redis=redis_service
    )
    assert result.reason == "lost_job"
    assert any("KILLED right after Redis command 1 of 3 (RPOP" in line for line in result.platform)
