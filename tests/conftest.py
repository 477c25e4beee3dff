"""Shared fixtures: a clean Redis per test (embedded fakeredis, or a real redis-server)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from autograder.backing import RedisService
from tests.timing import pytest_runtest_logreport, pytest_terminal_summary  # noqa: F401 - hooks

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


# Modules whose tests share a module-scoped fixture (one autograde run, one built
# environment): under pytest-xdist each stays on one worker, or the fixture would be
# built once per worker. (xdist's own --dist loadgroup cannot do it under pytest 9: it
# renames test ids through an attribute pytest no longer reads, so groups were ignored
# and the hostile class was autograded twice.)
SHARED_FIXTURE_MODULES = {"test_hostile.py", "test_binder.py", "test_harness_selftest.py"}


def pytest_collection_modifyitems(config, items):
    """Modules with slow tests first, each module kept whole: the long end-to-end runs
    start at once on every worker instead of trailing at the end."""
    slow_modules = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_modules)


def work_unit(nodeid: str) -> str:
    """What one worker runs as a whole: a shared-fixture module, else a single test."""
    path = nodeid.split("::", 1)[0]
    return path if path.rsplit("/", 1)[-1] in SHARED_FIXTURE_MODULES else nodeid


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureModulesWhole(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return SharedFixtureModulesWhole(config, log)


def missing(what: str) -> None:
    """Skip locally, fail in CI: under CI=true nothing that needs a backend may be skipped."""
    if IN_CI:
        pytest.fail(f"CI=true but {what} is missing; .ci/run must install it")
    pytest.skip(f"{what} is not available here")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def keep_redis_url_as_it_was():
    """A test that starts the notebook's shared Redis sets REDIS_URL in os.environ; never
    let that (soon dead) address reach later tests or the processes they start."""
    saved = {name: os.environ.get(name) for name in ("REDIS_URL", "AUTOGRADER_EMBEDDED_URL")}
    yield
    from autograder import backing

    backing._close_shared()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def redis_service(monkeypatch):
    """An embedded Redis that no other test shares (REDIS_URL from outside is ignored)."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    with RedisService() as service:
        yield service


@pytest.fixture(scope="session")
def redis_server_url(tmp_path_factory):
    """A real redis-server on a free port, started and stopped by the test session."""
    binary = shutil.which("redis-server")
    if binary is None:
        missing("redis-server")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis-server")
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("redis-server did not start")
    yield url
    client.close()
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def app_dir(tmp_path):
    """A folder for app files written by a test, like the notebook's folder for a learner."""
    folder = tmp_path / "apps"
    folder.mkdir()
    return folder


def write_app(folder: Path, name: str, source: str) -> Path:
    path = folder / name
    path.write_text(source)
    return path
