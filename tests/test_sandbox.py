"""Every leak route between simulated processes is closed.

Each app below tries to keep a counter somewhere other than Redis. On an honest platform
the count can neither survive a restart nor be shared by two processes; if any of these
tests fails, a stateful answer could pass a check.
"""

from __future__ import annotations

import builtins
import json
import os
import string
import sys

import pytest
import redis

from autograder.cluster import Cluster
from tests.conftest import write_app

LEAKY_APPS = {
    "global": """
count = 0
def hit():
    global count
    count += 1
    return count
""",
    "class_attribute": """
class Counter:
    n = 0
def hit():
    Counter.n += 1
    return Counter.n
""",
    "mutable_default": """
def hit(_state={"n": 0}):
    _state["n"] += 1
    return _state["n"]
""",
    "lru_cache": """
import functools
@functools.lru_cache(maxsize=None)
def box():
    return [0]
def hit():
    box()[0] += 1
    return box()[0]
""",
    "os_environ": """
import os
def hit():
    os.environ["HITS"] = str(int(os.environ.get("HITS", "0")) + 1)
    return int(os.environ["HITS"])
""",
    "builtins": """
import builtins
def hit():
    builtins.HITS = getattr(builtins, "HITS", 0) + 1
    return builtins.HITS
""",
    "sys_attribute": """
import sys
def hit():
    sys.hits = getattr(sys, "hits", 0) + 1
    return sys.hits
""",
    "sys_modules_entry": """
import sys, types
def hit():
    box = sys.modules.setdefault("hits_box", types.SimpleNamespace(n=0))
    box.n += 1
    return box.n
""",
    "main_module": """
import __main__
def hit():
    __main__.HITS = getattr(__main__, "HITS", 0) + 1
    return __main__.HITS
""",
    "os_module_attribute": """
import os
def hit():
    os.hits = getattr(os, "hits", 0) + 1
    return os.hits
""",
    "stdlib_module_attribute": """
import json
json.visits = 0
def hit():
    json.visits += 1
    return json.visits
""",
    "library_module_replaced_function": """
import string
def hit():
    if not hasattr(string.capwords, "hits"):
        original = string.capwords
        def capwords(s, sep=None):
            return original(s, sep)
        capwords.hits = 0
        string.capwords = capwords
    string.capwords.hits += 1
    return string.capwords.hits
""",
    "fresh_stdlib_module_attribute": """
import colorsys
colorsys.HITS = 0  # set while the module is imported for the first time
def hit():
    colorsys.HITS += 1
    return colorsys.HITS
""",
    "redis_module_attribute": """
import redis
def hit():
    redis.HITS = getattr(redis, "HITS", 0) + 1
    return redis.HITS
""",
    "sys_argv": """
import sys
def hit():
    sys.argv.append("x")
    return sys.argv.count("x")
""",
    "local_file": """
import os
def hit():
    n = 1
    if os.path.exists("hits.txt"):
        with open("hits.txt") as f:
            n = int(f.read()) + 1
    with open("hits.txt", "w") as f:
        f.write(str(n))
    return n
""",
    "tempfile_dir": """
import os, tempfile
PATH = os.path.join(tempfile.gettempdir(), "hits.txt")
def hit():
    n = 1
    if os.path.exists(PATH):
        with open(PATH) as f:
            n = int(f.read()) + 1
    with open(PATH, "w") as f:
        f.write(str(n))
    return n
""",
}


def _hits(cluster, n):
    return [cluster.request("hit") for _ in range(n)]


@pytest.mark.parametrize("route", sorted(LEAKY_APPS))
def test_state_does_not_survive_a_restart(route, app_dir, redis_service):
    app = write_app(app_dir, f"leak_{route}.py", LEAKY_APPS[route])
    with Cluster(app, processes=1, redis=redis_service) as cluster:
        assert [s.value for s in _hits(cluster, 3)] == [1, 2, 3]  # it is a working counter
        cluster.restart()
        assert cluster.request("hit").value == 1
        cluster.kill(0)
        assert cluster.request("hit").value == 1


@pytest.mark.parametrize("route", sorted(LEAKY_APPS))
def test_state_is_not_shared_between_processes(route, app_dir, redis_service):
    app = write_app(app_dir, f"leak_{route}.py", LEAKY_APPS[route])
    with Cluster(app, processes=2, redis=redis_service) as cluster:
        assert [s.value for s in _hits(cluster, 4)] == [1, 1, 2, 2]


@pytest.mark.parametrize("route", sorted(LEAKY_APPS))
def test_the_outside_world_is_left_as_it_was(route, app_dir, redis_service):
    app = write_app(app_dir, f"leak_{route}.py", LEAKY_APPS[route])
    environ, cwd, argv = dict(os.environ), os.getcwd(), list(sys.argv)
    modules, builtin_names = set(sys.modules), set(vars(builtins))
    with Cluster(app, processes=2, redis=redis_service) as cluster:
        _hits(cluster, 3)
    assert dict(os.environ) == environ
    assert os.getcwd() == cwd and sys.argv == argv
    assert set(vars(builtins)) == builtin_names
    assert not hasattr(sys, "hits") and not hasattr(os, "hits")
    assert not hasattr(json, "visits") and not hasattr(redis, "HITS")
    assert not hasattr(string.capwords, "hits")
    assert not hasattr(sys.modules.get("colorsys"), "HITS")
    assert "hits_box" not in sys.modules and f"leak_{route}" not in sys.modules
    assert set(sys.modules) - modules <= {m for m in sys.modules if m.startswith(("functools",))}


def test_helper_module_state_is_per_process(app_dir, redis_service):
    write_app(app_dir, "hit_store.py", "STATE = {'n': 0}\n")
    app = write_app(
        app_dir,
        "uses_helper.py",
        """
import hit_store
def hit():
    hit_store.STATE["n"] += 1
    return hit_store.STATE["n"]
""",
    )
    with Cluster(app, processes=2, redis=redis_service) as cluster:
        assert [s.value for s in _hits(cluster, 4)] == [1, 1, 2, 2]
        cluster.restart()
        assert cluster.request("hit").value == 1
    assert "hit_store" not in sys.modules


def test_a_helper_imported_lazily_inside_a_handler_is_still_private(app_dir, redis_service):
    write_app(app_dir, "lazy_store.py", "STATE = [0]\n")
    app = write_app(
        app_dir,
        "lazy.py",
        """
def hit():
    import lazy_store
    lazy_store.STATE[0] += 1
    return lazy_store.STATE[0]
""",
    )
    with Cluster(app, processes=2, redis=redis_service) as cluster:
        assert [s.value for s in _hits(cluster, 4)] == [1, 1, 2, 2]


@pytest.mark.parametrize("target", ["/tmp/stateless-course-hits.txt", "NEXT_TO_APP"])
def test_writes_outside_the_process_disk_are_refused(target, app_dir, redis_service):
    path = str(app_dir / "hits.txt") if target == "NEXT_TO_APP" else target
    app = write_app(
        app_dir,
        "writes_out.py",
        f"""
def hit():
    with open({path!r}, "a") as f:
        f.write("x")
    return 1
""",
    )
    with Cluster(app, processes=1, redis=redis_service) as cluster:
        served = cluster.request("hit")
        assert served.error["kind"] == "PermissionError"
        assert cluster.processes[0].violations[0]["path"] == os.path.realpath(path)
    assert not os.path.exists(path)


def test_other_ways_of_writing_outside_are_refused(app_dir, redis_service):
    app = write_app(
        app_dir,
        "sneaky.py",
        """
import os, sqlite3, shutil
def via_os_open():
    os.close(os.open("/tmp/stateless-sneaky", os.O_WRONLY | os.O_CREAT))
def via_chdir():
    os.chdir("/tmp")
    open("stateless-sneaky-2", "w").close()
def via_sqlite():
    sqlite3.connect("/tmp/stateless-sneaky.db")
def via_mkdir():
    os.mkdir("/tmp/stateless-sneaky-dir")
def via_kill():
    os.kill(os.getpid(), 9)
""",
    )
    with Cluster(app, processes=1, redis=redis_service) as cluster:
        for handler in ("via_os_open", "via_chdir", "via_sqlite", "via_mkdir", "via_kill"):
            served = cluster.request(handler)
            assert served.error and served.error["kind"] == "PermissionError", handler
    for leftover in (
        "/tmp/stateless-sneaky",
        "/tmp/stateless-sneaky-2",
        "/tmp/stateless-sneaky.db",
        "/tmp/stateless-sneaky-dir",
    ):
        assert not os.path.exists(leftover)


def test_each_process_has_its_own_pid_env_and_disk(app_dir, redis_service):
    app = write_app(
        app_dir,
        "whoami.py",
        """
import os, tempfile
def whoami():
    return os.getpid(), os.environ["PORT"], os.getcwd(), tempfile.gettempdir()
""",
    )
    with Cluster(app, processes=2, redis=redis_service) as cluster:
        first, second = cluster("whoami"), cluster("whoami")
        assert first[0] != second[0] and first[1] != second[1]
        assert first[2] != second[2] and first[3] != second[3]
        # The numbers the platform gives (1001, 1002): what its log shows, whatever the
        # OS pids are (the OS may even reuse 1001 for an unrelated process: pids wrap).
        assert {first[0], second[0]} == set(cluster.pids)
        cluster.restart(0)
        again = cluster.request("whoami", to=0).value
        assert again[0] not in (first[0], second[0])
        assert not os.path.exists(first[2])  # the old process's disk is gone


def test_redis_state_survives_everything(app_dir, redis_service):
    app = write_app(
        app_dir,
        "good.py",
        """
import os, redis
r = redis.Redis.from_url(os.environ["REDIS_URL"])
def hit():
    return r.incr("hits")
""",
    )
    with Cluster(app, processes=3, router="random", seed=3, redis=redis_service) as cluster:
        values = [s.value for s in _hits(cluster, 5)]
        cluster.kill(1)
        cluster.rolling_restart()
        cluster.scale(5)
        values += [s.value for s in _hits(cluster, 5)]
    assert values == list(range(1, 11))
    assert redis_service.admin.get("hits") == "10"


def test_each_process_is_a_real_os_process_that_shows_the_platforms_pid(app_dir, redis_service):
    """The app sees the pid the platform's log shows (in every thread); the platform's
    own interpreter keeps its real pid, and the process is a real, separate one."""
    app = write_app(
        app_dir,
        "pid_probe.py",
        """
import os, threading
def probe():
    seen = []
    worker = threading.Thread(target=lambda: seen.append(os.getpid()))
    worker.start()
    worker.join()
    return os.getpid(), seen[0]
""",
    )
    real = os.getpid()
    with Cluster(app, processes=1, redis=redis_service) as cluster:
        assert cluster("probe") == (1001, 1001)
        os_pid = cluster.processes[0].os_pid
        assert os_pid not in (None, real) and os.path.exists(f"/proc/{os_pid}")
        cluster.restart(0)
        assert cluster.processes[0].os_pid != os_pid
    assert os.getpid() == real and not os.path.exists(f"/proc/{os_pid}/status")


def test_a_handlers_user_argument_is_passed_and_routes_sticky(app_dir, redis_service):
    app = write_app(app_dir, "greet_user.py", "def greet(user):\n    return user.upper()\n")
    with Cluster(app, processes=3, router="sticky", seed=1, redis=redis_service) as cluster:
        assert cluster("greet", user="ana") == "ANA"
        pids = {cluster.request("greet", user="ana").pid for _ in range(5)}
        assert len(pids) == 1  # pinned
        cluster.kill(pids.pop())
        moved = cluster.request("greet", user="ana")
        assert moved.ok and moved.pid in cluster.pids  # re-pinned to a live process


def test_a_hanging_request_in_a_notebook_demo_fails_instead_of_freezing(app_dir, redis_service):
    app = write_app(
        app_dir,
        "sometimes_hangs.py",
        """
def hang():
    while True:
        pass
def ping():
    return "pong"
""",
    )
    with Cluster(app, processes=1, redis=redis_service, request_timeout=0.5) as cluster:
        served = cluster.request("hang")
        assert served.error["kind"] == "Timeout" and served in cluster.log
        assert cluster("ping") == "pong"  # the process lives on, like after a 504


def test_an_app_that_hangs_at_start_is_reported(app_dir, redis_service):
    from autograder.errors import AppCrashed

    app = write_app(app_dir, "hangs_at_start.py", "import time\ntime.sleep(3600)\n")
    with pytest.raises(AppCrashed) as crash:
        Cluster(app, processes=1, redis=redis_service, request_timeout=0.5)
    assert crash.value.args[0]["kind"] == "Timeout"
