"""Pausing a simulated process mid-request makes a race happen every time, for real.

The lost update must happen in Redis itself (two connections, interleaved commands),
not in a model: a GET-then-SET app oversells on every run, a WATCH/MULTI app with a
retry and a Lua script do not, and the paused process's world never leaks into the
processes that run while it waits.
"""

from __future__ import annotations

import os

import pytest

from autograder.backing import RedisService
from autograder.cluster import Cluster
from tests.conftest import write_app

STOCK = """
import os, redis
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)

def setup(n):
    r.set("stock", n)

def stock():
    return int(r.get("stock"))

def get_then_set(user):
    left = int(r.get("stock"))
    if left <= 0:
        return False
    r.set("stock", left - 1)
    return True

def watch_with_retry(user):
    with r.pipeline() as pipe:
        while True:
            try:
                pipe.watch("stock")
                left = int(pipe.get("stock"))
                if left <= 0:
                    pipe.unwatch()
                    return False
                pipe.multi()
                pipe.set("stock", left - 1)
                pipe.execute()
                return True
            except redis.WatchError:
                continue

def lua(user):
    script = "local n = tonumber(redis.call('GET', KEYS[1])) " \\
             "if n > 0 then redis.call('DECR', KEYS[1]) return 1 end return 0"
    return bool(r.eval(script, 1, "stock"))

def decr_first(user):
    if r.decr("stock") >= 0:
        return True
    r.incr("stock")
    return False

def remember_env_then_get(user):
    os.environ["SECRET_OF"] = str(os.getpid())
    r.get("stock")
    return os.environ.get("SECRET_OF"), os.getpid(), os.getcwd()

def peek_env(user):
    return os.environ.get("SECRET_OF"), os.getpid()

def hangs_before_get(user):
    while True:
        pass
"""


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


@pytest.fixture
def stock_app(app_dir):
    return write_app(app_dir, "stock.py", STOCK)


def race(cluster, handler):
    cluster("setup", n=1)
    paused = cluster.begin(handler, to=0, pause_after="GET", user="ana")
    other = cluster.request(handler, to=1, user="bo")
    mine = paused.finish()
    return paused, other.value, mine.value, cluster("stock")


def test_get_then_set_oversells_every_time_in_the_server_itself(stock_app, backend):
    with Cluster(stock_app, processes=2, redis=backend) as cluster:
        for _ in range(5):
            paused, bo, ana, left = race(cluster, "get_then_set")
            assert paused.was_paused and paused.commands_at_pause == ["GET"]
            # One ticket, two happy users: the second SET wrote a stale count back.
            assert (bo, ana, left) == (True, True, 0)
            assert backend.admin.get("stock") == "0"


def test_watch_with_retry_loses_its_race_and_retries(stock_app, backend):
    with Cluster(stock_app, processes=2, redis=backend) as cluster:
        paused, bo, ana, left = race(cluster, "watch_with_retry")
        assert (bo, ana, left) == (True, False, 0)
        # The first EXEC failed (the key changed under WATCH), the retry saw 0 left.
        assert paused.commands == ["WATCH", "GET", "EXEC", "WATCH", "GET", "UNWATCH"]


@pytest.mark.parametrize("handler", ["lua", "decr_first"])
def test_atomic_answers_never_reach_a_get_so_they_never_pause(stock_app, backend, handler):
    with Cluster(stock_app, processes=2, redis=backend) as cluster:
        paused, bo, ana, left = race(cluster, handler)
        assert not paused.was_paused and not paused.is_paused
        assert (ana, bo, left) == (True, False, 0)


def test_pause_after_a_count_of_commands(stock_app, redis_service):
    with Cluster(stock_app, processes=2, redis=redis_service) as cluster:
        cluster("setup", n=2)
        paused = cluster.begin("watch_with_retry", to=0, pause_after=1, user="ana")
        assert paused.is_paused and paused.commands == ["WATCH"]
        paused.finish()
        assert cluster("stock") == 1


def test_a_paused_process_keeps_its_world_to_itself(stock_app, redis_service):
    outside_env, outside_cwd = dict(os.environ), os.getcwd()
    with Cluster(stock_app, processes=2, redis=redis_service) as cluster:
        cluster("setup", n=1)
        paused = cluster.begin("remember_env_then_get", to=0, pause_after="GET", user="ana")
        # While pid 1001 waits, the notebook and pid 1002 see none of its world.
        assert os.environ.get("SECRET_OF") is None and os.getcwd() == outside_cwd
        assert cluster("peek_env", to=1, user="bo") == (None, 1002)
        secret, pid, cwd = paused.finish().value
        assert (secret, pid) == ("1001", 1001) and "pid-1001" in cwd
    assert dict(os.environ) == outside_env and os.getcwd() == outside_cwd


def test_the_log_and_events_tell_the_story_in_order(stock_app, redis_service):
    with Cluster(stock_app, processes=2, redis=redis_service) as cluster:
        race(cluster, "get_then_set")
        history = "\n".join(cluster.history())
        assert [s.seq for s in cluster.log] == [1, 3, 2, 4]
        assert "paused request #2 on pid 1001 right after its GET" in history
        assert "resumed after the requests sent while it was paused" in history


def test_a_request_that_hangs_before_its_pause_times_out_and_the_cluster_goes_on(
    stock_app, redis_service
):
    with Cluster(stock_app, processes=2, redis=redis_service, request_timeout=0.5) as cluster:
        cluster("setup", n=1)
        paused = cluster.begin("hangs_before_get", to=0, pause_after="GET", user="ana")
        assert not paused.is_paused
        assert paused.served.error["kind"] == "Timeout"
        assert cluster("stock", to=0) == 1


def test_closing_with_a_paused_request_unwinds_it(stock_app, redis_service):
    cwd = os.getcwd()
    cluster = Cluster(stock_app, processes=2, redis=redis_service)
    cluster("setup", n=1)
    paused = cluster.begin("get_then_set", to=0, pause_after="GET", user="ana")
    assert paused.is_paused
    cluster.close()
    assert os.getcwd() == cwd and cluster.processes == []
    assert redis_service.admin.get("stock") == "1"  # it never wrote


@pytest.mark.parametrize("stop", ["kill", "restart", "scale"])
def test_a_paused_request_dies_with_its_process(stock_app, redis_service, stop):
    with Cluster(stock_app, processes=2, redis=redis_service) as cluster:
        cluster("setup", n=1)
        paused = cluster.begin("get_then_set", to=1, pause_after="GET", user="ana")
        {
            "kill": lambda: cluster.kill(1),
            "restart": lambda: cluster.restart(1),
            "scale": lambda: cluster.scale(1),
        }[stop]()
        served = paused.finish()
        assert served.error["kind"] == "ProcessStopped" and not paused.is_paused
        assert "pid 1002 stopped while this request was paused" in served.error["message"]
        assert redis_service.admin.get("stock") == "1"  # its SET never happened
        assert cluster("stock") == 1 and cluster.log[-2] is served


def test_the_paused_process_itself_serves_other_requests_meanwhile(stock_app, redis_service):
    """As a second thread of a real server would: the paused request resumes afterwards."""
    with Cluster(stock_app, processes=1, redis=redis_service) as cluster:
        cluster("setup", n=2)
        paused = cluster.begin("get_then_set", to=0, pause_after="GET", user="ana")
        assert cluster("get_then_set", to=0, user="bo") is True
        assert paused.finish().value is True
        assert cluster("stock") == 1  # the lost update, inside one process this time


# -- typed pause points: the n-th read, the n-th write ----------------------------------------
KINDS = """
import os, redis
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)

def read_write_read():
    r.ping()                          # neither reads nor writes the data
    a = r.get("a")
    r.echo("x")
    r.set("a", 1)
    b = r.get("b")
    return a, b

def pipelines():
    with r.pipeline(transaction=False) as pipe:
        pipe.get("a")
        pipe.get("b")
        pipe.execute()                # reads only: one read
    with r.pipeline() as pipe:
        pipe.incr("a")
        pipe.execute()                # a transaction: one write
    with r.pipeline(transaction=False) as pipe:
        pipe.execute()                # nothing sent: not a command
    return r.decrby("b", 2)
"""


@pytest.mark.parametrize(
    ("handler", "pause_after", "sent"),
    [
        ("read_write_read", "NthRead(1)", ["PING", "GET a"]),
        ("read_write_read", "NthRead(2)", ["PING", "GET a", "ECHO x", "SET a", "GET b"]),
        ("read_write_read", "NthWrite(1)", ["PING", "GET a", "ECHO x", "SET a"]),
        ("pipelines", "NthRead(1)", ["GET (pipeline)"]),
        ("pipelines", "NthWrite(1)", ["GET (pipeline)", "EXEC [INCRBY]"]),
        ("pipelines", "NthWrite(2)", ["GET (pipeline)", "EXEC [INCRBY]", "DECRBY b"]),
    ],
)
def test_pause_after_the_nth_read_or_write(app_dir, redis_service, handler, pause_after, sent):
    from autograder.pause import NthRead, NthWrite

    point = {"NthRead": NthRead, "NthWrite": NthWrite}[pause_after[:-3]](int(pause_after[-2]))
    app = write_app(app_dir, "kinds.py", KINDS)
    with Cluster(app, processes=1, redis=redis_service) as cluster:
        paused = cluster.begin(handler, to=0, pause_after=point)
        assert paused.is_paused and paused.sent == sent
        # Names as before (a pipeline of reads is still named PIPELINE), keys in `sent`.
        names = ["PIPELINE" if t == "GET (pipeline)" else t.split()[0] for t in sent]
        assert paused.commands == names
        assert paused.finish().ok


def test_a_request_that_never_reaches_its_nth_read_runs_to_the_end(app_dir, redis_service):
    from autograder.pause import NthRead

    app = write_app(app_dir, "kinds.py", KINDS)
    with Cluster(app, processes=1, redis=redis_service) as cluster:
        paused = cluster.begin("read_write_read", to=0, pause_after=NthRead(3))
        assert not paused.was_paused and paused.served.value == (None, None)
        assert paused.sent == ["PING", "GET a", "ECHO x", "SET a", "GET b"]
