"""Real deployments (09): honcho, gunicorn, redis-server; no process outlives its teardown.

Every test ends by asserting that no process of the deployments it started is running,
whatever the processes did: a daemon that left the process group with setsid, a process
that ignores SIGTERM, a gunicorn that failed to boot, a check that raised half way.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
import requests

from autograder import redis_server
from autograder.deploy import DeployFailed, Deployment, deploy_app, leftovers, marked
from autograder.exercises import nb09_real_processes as nb09

ANSWERS = Path(__file__).parent / "answers" / "09-real-processes" / "names_app"
PY = sys.executable


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def wait_for(predicate, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


def raw(tmp_path: Path, procfile: dict[str, str]) -> Deployment:
    return Deployment(procfile, root=tmp_path / "deployment")


@pytest.fixture
def redis_url():
    with redis_server.DeploymentRedis() as store:
        yield store.url


# -- no orphans ----------------------------------------------------------------------------
DAEMON = (
    "import os, sys, time\n"
    "if os.fork() == 0:\n"
    "    os.setsid()\n"
    "    if os.fork() == 0:\n"
    "        open(sys.argv[1], 'w').write(str(os.getpid()))\n"
    "        time.sleep(120)\n"
    "    os._exit(0)\n"
    "time.sleep(120)\n"
)


def test_a_daemon_that_left_the_group_is_killed_on_teardown(tmp_path):
    script = tmp_path / "daemon.py"
    script.write_text(DAEMON)
    pidfile = tmp_path / "daemon.pid"
    deployment = raw(tmp_path, {"daemon": f"{PY} {script} {pidfile}"}).start()
    try:
        daemon = int(wait_for(lambda: pidfile.exists() and pidfile.read_text()))
        assert alive(daemon)
        assert os.getsid(daemon) != os.getsid(deployment.honcho.pid)  # out of the group
        assert daemon in {p.pid for p in deployment.processes()}  # but marked
    finally:
        killed = deployment.close()
    assert daemon in killed
    assert not alive(daemon)
    assert marked(deployment.marker) == []


def test_a_process_that_ignores_sigterm_is_killed(tmp_path):
    stubborn = (
        f"{PY} -c 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "time.sleep(120)'"
    )
    with raw(tmp_path, {"worker": stubborn}) as deployment:
        proc = wait_for(lambda: [p for p in deployment.processes() if p.kind == "worker"])[0]
    assert not alive(proc.pid)
    assert marked(deployment.marker) == []


def test_a_check_that_raises_midway_leaves_nothing(tmp_path, redis_url):
    app = tmp_path / "names.py"
    app.write_text((ANSWERS / "correct_string_keys.py").read_text())
    with (
        pytest.raises(RuntimeError),
        deploy_app(app, root=tmp_path / "d", redis_url=redis_url) as web,
    ):
        pids = web.wait_for_workers(3)
        raise RuntimeError("the check failed half way")
    assert not any(alive(pid) for pid in pids)
    assert marked(web.marker) == []


def test_a_gunicorn_that_fails_to_boot_is_reported_and_cleaned_up(tmp_path, redis_url):
    app = tmp_path / "names.py"
    app.write_text("raise ImportError('no such thing')\n")
    with deploy_app(app, root=tmp_path / "d", redis_url=redis_url) as web:
        with pytest.raises(DeployFailed):
            wait_for(lambda: web.exited() is not None, seconds=20)
            web.wait_for_workers(3, seconds=1)
        assert "ImportError: no such thing" in "\n".join(web.logs())
    assert marked(web.marker) == []


def test_the_check_of_a_crashing_app_and_of_a_check_that_raises_leave_nothing(
    tmp_path, monkeypatch
):
    crash = nb09.q1.run_here(
        "replicas", ANSWERS / "redis_host_variable.py", level="visible", redis=None
    )
    assert crash.reason == nb09.CRASHED
    assert "KeyError: 'REDIS_HOST'" in crash.details

    def explode(self, **_kwargs):
        raise RuntimeError("the checker itself failed")

    monkeypatch.setattr(nb09.Check, "ask_all", explode)
    with pytest.raises(RuntimeError):
        nb09.q1.run_here(
            "replicas", ANSWERS / "correct_string_keys.py", level="visible", redis=None
        )
    assert leftovers() == []


# -- what the processes may do -------------------------------------------------------------
def test_learner_code_runs_only_under_the_guard(tmp_path, redis_url):
    """A gunicorn worker and a worker-type process both refuse to start programs or to
    write outside the deployment's disk; the master never imports the app."""
    app = tmp_path / "guarded.py"
    marker = Path(f"/tmp/course-imported-{os.getpid()}-{time.monotonic_ns()}")
    app.write_text(
        "import os, subprocess\n"
        "from flask import Flask\n"
        "try:  # refused in a guarded process; a process without the guard would write it\n"
        f"    open({str(marker)!r}, 'w').close()\n"
        "except PermissionError:\n"
        "    pass\n"
        "app = Flask(__name__)\n"
        "def attempt(action):\n"
        "    try:\n"
        "        action()\n"
        "        return 'allowed'\n"
        "    except PermissionError:\n"
        "        return 'refused'\n"
        "@app.get('/try')\n"
        "def tries():\n"
        "    return {\n"
        "        'spawn': attempt(lambda: subprocess.run(['true'])),\n"
        "        'tmp': attempt(lambda: open('/tmp/course-guard-test', 'w')),\n"
        "        'disk': attempt(lambda: open('mine.txt', 'w').close()),\n"
        "    }\n"
        "def work_one():\n"
        "    print('worker', attempt(lambda: os.system('true')), flush=True)\n"
        "    import time; time.sleep(60)\n"
    )
    with deploy_app(app, worker_app=app, root=tmp_path / "d", redis_url=redis_url) as web:
        web.wait_for_workers(3)
        got = wait_for(lambda: _get_json(web.url + "/try"))
        assert got == {"spawn": "refused", "tmp": "refused", "disk": "allowed"}
        wait_for(lambda: any("worker refused" in line for line in web.logs()))
        assert (tmp_path / "d" / "disk" / "mine.txt").exists()
    assert not Path("/tmp/course-guard-test").exists()
    assert not marker.exists()  # neither the master nor any other process imported it unguarded


def _get_json(url: str):
    try:
        return requests.get(url, timeout=2).json()
    except requests.RequestException:
        return None


def test_the_process_list_names_each_process_type(tmp_path, redis_url):
    app = tmp_path / "idle.py"
    app.write_text(
        "import time\nfrom flask import Flask\napp = Flask(__name__)\n"
        "def work_one():\n    return None\n"
    )
    with deploy_app(
        app, worker_app=app, root=tmp_path / "d", redis_url=redis_url, scale={"worker": 2}
    ) as web:
        workers = web.wait_for_workers(3)
        wait_for(lambda: [p.kind for p in web.processes()].count("worker") == 2)
        kinds = [p.kind for p in web.processes()]
        assert kinds.count("worker") == 2 and kinds.count("web") == 4
        assert {p.ppid for p in web.processes() if p.pid in workers} == {web.web_master()}
        assert "PPID" in web.table()
        wait_for(lambda: any("worker.2 |" in line for line in web.logs()))


# -- Redis -----------------------------------------------------------------------------------
@pytest.mark.redis_server
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server here")
def test_a_real_redis_server_is_used_when_installed_and_stopped_after():
    with redis_server.DeploymentRedis() as store:
        assert store.kind == redis_server.REAL
        assert "redis-server" in store.describe()
        pid = store.proc.pid
        store.admin.set("k", "v")
    assert not alive(pid)


def test_without_redis_server_fakeredis_stands_in_and_says_so(monkeypatch):
    monkeypatch.setattr(redis_server.shutil, "which", lambda name: None)
    with redis_server.DeploymentRedis() as store:
        assert store.kind == redis_server.FAKE
        assert "fakeredis" in store.describe()
        store.admin.set("k", "v")
        assert store.admin.get("k") == "v"
