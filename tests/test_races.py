"""The race engine (autograder/races.py) and its fleet, on small app files of their own.

A counter that reads and writes back loses the update in a race, every time; an atomic
one passes; a lock holder that pauses makes the other process wait, and the engine lets
it finish; a handler that hangs is a timeout; an app that fails at import is reported;
the hammer starts every process together and returns their values. After each check, no
process of the fleet is left: not below the test, not below the fork server.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from autograder import launcher
from autograder.fleet import Fleet
from autograder.races import Call, Fresh, Hammer, Plan, Race, race_check
from tests.conftest import write_app
from tests.test_isolation import _descendants, _running

HEADER = "import os, time, redis\nr = redis.Redis.from_url(os.environ['REDIS_URL'])\n"
COUNT = "def count():\n    return int(r.get('n') or 0)\n"
APPS = {
    "racy": HEADER
    + COUNT
    + "def hit():\n    n = int(r.get('n') or 0)\n    r.set('n', n + 1)\n    return n + 1\n",
    "atomic": HEADER + COUNT + "def hit():\n    return r.incr('n')\n",
    "locked": HEADER + COUNT + "def hit():\n"
    "    while not r.set('lock', 1, nx=True):\n"
    "        time.sleep(0.005)\n"
    "    try:\n"
    "        n = int(r.get('n') or 0)\n"
    "        r.set('n', n + 1)\n"
    "        return n + 1\n"
    "    finally:\n"
    "        r.delete('lock')\n",
    "hangs": HEADER + COUNT + "def hit():\n    while True:\n        pass\n",
    "crashes": HEADER + "raise RuntimeError('broken at import')\n",
    "global": "n = 0\ndef hit():\n    global n\n    n += 1\n    return n\n"
    "def count():\n    return n\n",
}


class CounterModel:
    def __init__(self):
        self.n = 0

    def hit(self):
        self.n += 1
        return self.n

    def count(self):
        return self.n


def race_plan(seed: int) -> Plan:
    return Plan(
        [
            Call("hit", {}, 0),
            Race(Call("hit", {}, 0), [Call("hit", {}, 1)]),
            Call("count", {}, 1),
            Fresh(),
            Race(Call("hit", {}, 1), [Call("hit", {}, 0), Call("hit", {}, 0)]),
            Call("count", {}, 0),
        ],
        workers=2,
    )


def exercise(plan=race_plan):
    return SimpleNamespace(plans={"p": plan}, model=CounterModel, diagnose=None, label="test")


def check(app_dir, redis_service, name: str, plan=race_plan):
    app = write_app(app_dir, f"{name}.py", APPS[name])
    return race_check(exercise(plan), "p", app, seed=1, level="visible", redis=redis_service)


@pytest.fixture
def nothing_left(monkeypatch, tmp_path):
    """No process of a check survives it (below this test, below the fork server, or any
    process a fleet started), and no disk of one is left."""
    from autograder import fleet as fleet_module
    from autograder import races

    fleets, disks = [], tmp_path / "disks"
    disks.mkdir()

    class Recorded(Fleet):  # kept alive here: a fleet must be closed, not just dropped
        def __init__(self, *args, **kwargs):
            fleets.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(races, "Fleet", Recorded)
    monkeypatch.setattr(fleet_module, "disks_folder", lambda: str(disks))
    launcher.warm_up()
    server = launcher.server_pid()
    mine, servers = _descendants(os.getpid()), _descendants(server)
    yield
    assert not any(_running(p.os_pid) for f in fleets for p in f.processes)
    assert _descendants(server) <= servers
    assert _descendants(os.getpid()) <= mine | {server}
    assert list(disks.iterdir()) == []


def test_a_read_then_write_counter_loses_the_race_every_time(app_dir, redis_service, nothing_left):
    result = check(app_dir, redis_service, "racy")
    assert result.reason == "wrong_response", result.text()
    assert (result.saw, result.expected) == ("2", "3")  # hit() on pid 1001 came back last
    assert "PAUSED right after it sent GET n" in "\n".join(result.platform)


def test_an_atomic_counter_passes(app_dir, redis_service, nothing_left):
    result = check(app_dir, redis_service, "atomic")
    assert result.passed, result.text()


def test_a_request_that_waits_for_the_paused_ones_lock_is_blocked_not_hung(
    app_dir, redis_service, nothing_left
):
    result = check(app_dir, redis_service, "locked")
    assert result.passed, result.text()


def test_state_kept_in_each_process_is_not_shared(app_dir, redis_service, nothing_left):
    plan = lambda seed: Plan([Call("hit", {}, 0), Call("count", {}, 1)], workers=2)  # noqa: E731
    result = check(app_dir, redis_service, "global", plan)
    assert result.reason == "state_not_shared", result.text()


def test_a_hanging_handler_is_a_timeout(app_dir, redis_service, nothing_left):
    result = check(app_dir, redis_service, "hangs")
    assert result.reason == "timeout", result.text()
    assert "no answer" in "\n".join(result.platform)


def test_a_crash_at_import_is_reported(app_dir, redis_service, nothing_left):
    result = check(app_dir, redis_service, "crashes")
    assert result.reason == "app_crashed_at_start", result.text()
    assert "broken at import" in result.saw


def test_an_app_that_never_touches_redis_fails(app_dir, redis_service, nothing_left):
    plan = lambda seed: Plan([Call("hit", {}, 0), Call("count", {}, 0)], workers=1)  # noqa: E731
    result = check(app_dir, redis_service, "global", plan)
    assert result.reason == "not_using_redis_url", result.text()


def test_a_hammer_audit_sees_every_value(app_dir, redis_service, nothing_left):
    seen = []

    def audit(results, replay):
        seen.extend(results)

    plan = lambda seed: Plan([Hammer("hit", [{}, {}, {}], 20, audit)], workers=3)  # noqa: E731
    result = check(app_dir, redis_service, "atomic", plan)
    assert result.passed, result.text()
    assert sorted(v for values in seen for v in values) == list(range(1, 61))


def test_the_fleet_hammer_starts_together_and_returns_values_or_the_first_error(
    app_dir, redis_service, nothing_left
):
    app = write_app(
        app_dir,
        "half.py",
        HEADER + "def hit(fail):\n    if fail and r.incr('n') > 3:\n        raise KeyError('x')\n"
        "    return os.getpid()\n",
    )
    with Fleet(app, processes=2, redis_url=redis_service.url) as fleet:
        replies = fleet.hammer("hit", [{"fail": False}, {"fail": True}], 5, seconds=5)
        os_pids = [p.os_pid for p in fleet.processes]
    assert replies[0].value == [1001] * 5 and replies[0].error is None
    assert replies[1].value is None and replies[1].error["kind"] == "KeyError"
    assert not any(_running(pid) for pid in os_pids)


def test_a_fleet_process_that_answers_out_of_turn_is_stopped_and_named(
    app_dir, redis_service, nothing_left
):
    app = write_app(app_dir, "quiet.py", HEADER + "def hit():\n    return 1\n")
    with Fleet(app, processes=1, redis_url=redis_service.url) as fleet:
        # An answer the fleet never asked for where a request's answer was due.
        fleet.processes[0].send_request(("memory", 5))
        reply = fleet.reply(0, seconds=5)
        alive = fleet.processes[0].alive
    assert reply.event == "done" and reply.error["kind"] == "BrokenReply"
    assert reply.error["message"] == (
        "pid 1001 answered out of turn (with 'memory'), so the platform stopped it: "
        "nothing it says now can be trusted."
    )
    assert not alive


def test_the_app_never_runs_where_the_race_engine_is(app_dir, redis_service, nothing_left):
    """04's processes are the platform's (forked by the fork server), not copies of the
    checker: no engine, exercise, model or expected value exists where the app runs."""

    class LookModel:
        def look(self):
            return [], []

    app = write_app(
        app_dir,
        "look_around.py",
        HEADER + "import gc, sys\n"
        "def look():\n"
        "    r.incr('looked')\n"
        "    judge = [m for m in sys.modules if m.startswith(('autograder.races', "
        "'autograder.scenario', 'autograder.problem', 'autograder.exercises'))]\n"
        "    models = [type(o).__name__ for o in gc.get_objects()\n"
        "              if type(o).__name__.endswith('Model')]\n"
        "    return judge, models\n",
    )
    plan = lambda seed: Plan([Call("look", {}, 0), Call("look", {}, 1)], workers=2)  # noqa: E731
    lookout = SimpleNamespace(plans={"p": plan}, model=LookModel, diagnose=None, label="test")
    result = race_check(lookout, "p", app, seed=1, level="visible", redis=redis_service)
    assert result.passed, result.text()
