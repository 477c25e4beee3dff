"""Notebook 08's crash engine tries every crash point: as many as the job has Redis
commands, plus one per command of the takeover of an abandoned job, plus one per command
of the web request, and the feedback says how many. The checker reads what the jobs did
(balances, the dead-letter list) from Redis itself.
(What it finds in wrong answers is proved by the catalogue, tests/answers/08-workers.)"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import redis

from autograder.backing import RedisService
from autograder.exercises.nb08_workers import worker_app
from autograder.exercises.nb08_workers.check import Check, cached_scripts
from autograder.exercises.nb08_workers.crashes import lost_reason, own_commands
from autograder.formation import Formation, parse_procfile

ANSWERS = Path(__file__).resolve().parent / "answers" / "08-workers" / "worker_app"
SUMMARY = re.compile(r"(\d+) crash points .* a job \((\d+)\), .* takeover \((\d+)\), .* \((\d+)\)")


def commands_of_one_job(app: Path, redis_service) -> tuple[int, int]:
    types = parse_procfile("web: place_order\nworker: work_one\n")
    with Formation(app, types, scale={"web": 1, "worker": 1}, redis_url=redis_service.url) as f:
        for order_id in ("o-1", "o-2"):  # the second: Redis knows the scripts already
            order = {"order_id": order_id, "user": "ana", "amount": 5}
            web = f.run("web", 0, order).commands
            worker = f.run("worker", 0).commands
    redis_service.flush()
    return len(web), len(worker)


def test_every_command_of_a_job_and_of_its_takeover_is_a_crash_point(redis_service):
    app = ANSWERS / "correct_lua_take.py"
    web, worker = commands_of_one_job(app, redis_service)
    assert (web, worker) == (2, 6)  # HSET LPUSH; LRANGE EVALSHA HINCRBY HGETALL EVALSHA EXEC
    result = worker_app.run_here("survives_crashes", app, level="visible", redis=redis_service)
    assert result.passed, result.text()
    total, job, takeover, web_points = map(int, SUMMARY.match(result.summary).groups())
    assert (job, web_points) == (worker, web)
    # The takeover's own commands, before its call goes on as a plain job's: LRANGE
    # jobs:processing (finds the abandoned job), HGET jobs:taken (its age), EVALSHA (the
    # hand-back script).
    assert takeover == 3
    assert total == job + takeover + web_points


def test_a_crash_point_that_loses_a_job_names_it(redis_service):
    result = worker_app.run_here(
        "survives_crashes", ANSWERS / "rpop_queue.py", level="visible", redis=redis_service
    )
    assert result.reason == "lost_job"
    assert any("KILLED right after Redis command 1 of 3 (RPOP" in line for line in result.platform)


def test_a_job_acknowledged_before_its_work_is_named_so(redis_service):
    """The job is lost as with RPOP, but the advice differs: it reached the processing
    list, and the acknowledgement came before the charge."""
    result = worker_app.run_here(
        "survives_crashes", ANSWERS / "ack_before_work.py", level="visible", redis=redis_service
    )
    assert result.reason == "acked_before_work", result.text()
    assert "Acknowledge a job last" in result.next_step


def test_a_lost_job_is_acked_early_only_if_it_reached_a_processing_list():
    assert lost_reason(["RPOP jobs:queue"]) == "lost_job"
    # Read, removed, then pushed to processing: a kill after LREM loses a job never moved.
    assert lost_reason(["LINDEX jobs:queue -1", "LREM jobs:queue 1 o-1"]) == "lost_job"
    moved_then_acked = ["LMOVE jobs:queue jobs:processing", "LREM jobs:processing 1 o-1"]
    assert lost_reason(moved_then_acked) == "acked_before_work"
    assert lost_reason(["XREADGROUP GROUP g c", "XACK jobs g 1-0"]) == "acked_before_work"
    assert lost_reason(["LMOVE jobs:queue jobs:processing"]) == "lost_job"
    # An acknowledgement inside a transaction counts (redis-py's pipeline()).
    assert lost_reason(["LMOVE jobs:queue", "EXEC [LREM HDEL]"]) == "acked_before_work"


def test_a_kill_during_the_takeover_that_loses_the_job_names_it(redis_service):
    """LREM, then RPUSH: a worker killed between the two while it hands an abandoned job
    back leaves the job in neither list. Only the takeover's crash points find it."""
    result = worker_app.run_here(
        "survives_crashes",
        ANSWERS / "takeover_in_two_steps.py",
        level="visible",
        redis=redis_service,
    )
    assert result.reason == "lost_in_takeover", result.text()
    killed = [line for line in result.platform if "while taking over" in line]
    assert "(LREM jobs:processing)" in killed[-1]


def test_the_dead_letter_list_is_read_from_redis_not_asked_of_the_app(redis_service):
    """dead_letters() in the app answers the right ids, but jobs:dead is empty."""
    result = worker_app.run_here(
        "poison_job", ANSWERS / "dead_letters_lie.py", level="visible", redis=redis_service
    )
    assert result.reason == "not_dead_lettered"
    assert "jobs:dead holds []" in result.summary


def test_a_first_script_call_counts_as_the_later_calls_do():
    first = ["LRANGE q", "EVALSHA ab", "SCRIPT LOAD x", "EVALSHA ab", "EXEC"]
    assert cached_scripts(first) == ["LRANGE q", "EVALSHA ab", "EXEC"]
    # A SCRIPT LOAD of the app's own, not redis-py's retry, is a command like any other.
    own = ["SCRIPT LOAD x", "EVALSHA ab", "GET k"]
    assert cached_scripts(own) == own


def test_the_takeovers_own_commands_are_those_before_a_plain_jobs_tail():
    plain = ["LRANGE p", "LMOVE q", "HSET t", "EXEC"]
    takeover = ["LRANGE p", "HGET t", "EVALSHA back", "LMOVE q", "HSET t", "EXEC"]
    assert own_commands(takeover, plain) == 3
    # A takeover folded into the take (XAUTOCLAIM) still gets its first command tried.
    assert own_commands(["XAUTOCLAIM s", "XACK s"], ["XAUTOCLAIM s", "XACK s"]) == 1


@pytest.fixture(params=["fakeredis", "redis-server"])
def backend(request, monkeypatch):
    if request.param == "fakeredis":
        monkeypatch.delenv("REDIS_URL", raising=False)
        with RedisService() as service:
            yield service
    else:
        with RedisService(request.getfixturevalue("redis_server_url")) as service:
            service.flush()
            yield service


def test_a_saved_round_comes_back_exactly(backend):
    """The takeover's crash points restore the abandoned moment with DUMP/RESTORE: lists,
    hashes, expiries and a stream's pending entries (who holds what) come back as they
    were, on the embedded Redis and on a real one."""
    check = Check(None, backend, {})
    raw = redis.Redis.from_url(backend.url, decode_responses=True)
    try:
        raw.rpush("jobs:processing", "o-1", "o-2")
        raw.hset("jobs:taken", mapping={"o-1": "12.5"})
        raw.set("lock", "w1", px=60_000)
        raw.xadd("jobs", {"id": "o-3"})
        raw.xgroup_create("jobs", "workers", id="0")
        raw.xreadgroup("workers", "w1", {"jobs": ">"})
        time.sleep(0.05)
        saved = check.save()
        raw.flushdb()
        raw.set("stray", "1")
        check.restore(saved)
        assert sorted(raw.keys()) == ["jobs", "jobs:processing", "jobs:taken", "lock"]
        assert raw.lrange("jobs:processing", 0, -1) == ["o-1", "o-2"]
        assert raw.hgetall("jobs:taken") == {"o-1": "12.5"}
        assert 0 < raw.pttl("lock") <= 60_000
        pending = raw.xpending_range("jobs", "workers", "-", "+", 10)
        assert [(p["consumer"], p["times_delivered"]) for p in pending] == [("w1", 1)]
        assert pending[0]["time_since_delivered"] >= 50  # still abandoned, not new again
    finally:
        raw.close()
