"""Process types: a Procfile's types run as separate real processes of one app, scaled on
their own, and a process can be ended right after its k-th Redis command (a crash, or a
graceful stop that runs ``on_shutdown`` mid-job) and replaced by a fresh one."""

from __future__ import annotations

import pytest

from autograder.formation import Formation, ProcfileError, parse_procfile
from tests.conftest import write_app

APP = """
import os, redis
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
SEEN = []

def accept(job):
    r.lpush("queue", job)
    return os.getpid()

def take():
    job = r.rpop("queue")
    r.incr("taken")
    r.incr("finished")
    SEEN.append(job)
    return job

def seen():
    return list(SEEN)

def where():
    return os.getpid(), os.environ.get("MODE")

def on_shutdown():
    r.set("shutdown", str(os.getpid()))
"""

PROCFILE = "# one app, two types\nweb: accept\n\nworker: take\n"


def test_a_procfile_names_types_and_their_handlers():
    assert parse_procfile(PROCFILE) == {"web": "accept", "worker": "take"}


@pytest.mark.parametrize(
    "text",
    ["web accept", "web: accept now", "web: a\nweb: b", "# nothing\n", "web: 1accept"],
)
def test_a_bad_procfile_is_refused_with_its_line(text):
    with pytest.raises(ProcfileError):
        parse_procfile(text)


def test_types_scale_separately_and_run_their_own_handler(app_dir, redis_service):
    app = write_app(app_dir, "queue.py", APP)
    scale = {"web": 2, "worker": 1}
    types = parse_procfile(PROCFILE)
    with Formation(app, types, scale=scale, redis_url=redis_service.url, env={"MODE": "x"}) as f:
        assert [f.name("web", i) for i in range(2)] == ["web.1", "web.2"]
        pids = {f.pid("web", 0), f.pid("web", 1), f.pid("worker", 0)}
        assert len(pids) == 3  # three processes
        assert f.run("web", 1, {"job": "a"}).value == f.pid("web", 1)
        taken = f.run("worker", 0)
        assert taken.value == "a"
        assert taken.commands == ["RPOP queue", "INCRBY taken", "INCRBY finished"]
        assert f.run("worker", 0, handler="where").value == (f.pid("worker", 0), "x")
        f.scale("worker", 3)
        f.scale("web", 1)
        assert (len(f.processes["web"]), len(f.processes["worker"])) == (1, 3)
        with pytest.raises(ProcfileError):
            Formation(app, types, scale={"clock": 1}, redis_url=redis_service.url)


def test_a_crash_after_the_kth_command_leaves_the_rest_unsent(app_dir, redis_service):
    app = write_app(app_dir, "queue.py", APP)
    with Formation(
        app, parse_procfile(PROCFILE), scale={"web": 1, "worker": 1}, redis_url=redis_service.url
    ) as f:
        f.run("web", 0, {"job": "a"})
        f.run("worker", 0, handler="seen")
        old = f.pid("worker", 0)
        reply = f.crash_after("worker", 0, 2)
        assert reply.event == "paused" and reply.commands == ["RPOP queue", "INCRBY taken"]
        data = redis_service.admin
        assert (data.get("taken"), data.get("finished")) == ("1", None)
        assert data.get("shutdown") is None  # a crash: on_shutdown never ran
        assert f.pid("worker", 0) != old  # a fresh process in its place, with fresh memory
        assert f.run("worker", 0, handler="seen").value == []
        # A call with fewer commands than k finishes, and the process is left alone.
        now = f.pid("worker", 0)
        assert f.crash_after("worker", 0, 9).event == "done"
        assert f.pid("worker", 0) == now


def test_a_graceful_stop_mid_job_runs_on_shutdown_first(app_dir, redis_service):
    app = write_app(app_dir, "queue.py", APP)
    with Formation(
        app, parse_procfile(PROCFILE), scale={"worker": 1}, redis_url=redis_service.url
    ) as f:
        old = f.pid("worker", 0)
        reply = f.crash_after("worker", 0, 1, graceful=True)
        assert reply.event == "paused"
        assert redis_service.admin.get("shutdown") == str(old)
        assert redis_service.admin.get("finished") is None
        assert f.started == 2
