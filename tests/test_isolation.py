"""The judge never shares an interpreter with the learner's code, so forging a grade fails.

Every app below is a stateful counter (a plain global) plus a trick that, in a design
where the app ran inside the checker's own Python, turned it into full marks: patching
the judge, reading the values the judge expects, writing a result after the checks end,
mutating an existing object of a shared library, finding another process's module
through ``gc``. Each runs through the real check (the checker process, the fork server,
one OS process per app instance) and must score 0 on every part.

The second half feeds the platform bad input -- an app that fails to import, forks,
floods its pipe, allocates gigabytes, closes its own pipe, exits in a handler -- and
asserts each is explained in one sentence and leaves no process behind.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from autograder import launcher
from autograder.cluster import Cluster
from autograder.exercises.nb01_one_process import q3
from tests.conftest import write_app

STATEFUL = """
hits = 0

def _count():
    global hits
    hits += 1
    return hits

def hit():
    return _count()

def count():
    return hits
"""

FORGERIES = {
    "patches_the_judge": """
import autograder.problem, autograder.result, autograder.scenario
autograder.scenario.same_response = lambda saw, expected: True
autograder.scenario._judge = lambda *args, **kwargs: None
autograder.result.Result.passed = property(lambda self: True)
autograder.problem.AppExercise.evaluate = lambda self, *a, **k: autograder.result.Result(
    "correct", "correct", summary="forged")
""",
    "reads_the_expected_values": """
import gc, sys

def _expected():
    frame = sys._getframe(1)
    while frame is not None:
        if "expected" in frame.f_locals:
            return frame.f_locals["expected"]
        frame = frame.f_back
    for thing in gc.get_objects():
        if type(thing).__name__ == "CounterModel":
            return getattr(thing, "hits", None)
    return None

_plain_hit = hit
def hit():
    value = _expected()
    return value if isinstance(value, int) else _plain_hit()
""",
    "writes_a_result_after_the_checks": """
import atexit, glob, json, os, threading, time

FORGED = {"outcome": "correct", "reason": "correct", "summary": "forged"}

def _forge():
    for path in glob.glob("/tmp/autograder-check-*/result.json") + ["/tmp/forged.json"]:
        try:
            with open(path, "w") as f:
                json.dump(FORGED, f)
        except OSError:
            pass
    try:
        os.system("echo forged > /tmp/autograder-forged-by-shell")
    except OSError:
        pass
    try:
        import ctypes
        ctypes.CDLL(None).system(b"echo forged > /tmp/autograder-forged-by-ctypes")
    except Exception:
        pass

atexit.register(_forge)
threading.Thread(target=lambda: (time.sleep(0.2), _forge()), daemon=True).start()
""",
    "mutates_a_shared_library_object": """
import warnings
MARK = ("ignore", None, Warning, None, 424242)

def hit():
    warnings.filters.append(MARK)
    return sum(1 for f in warnings.filters if f == MARK)

def count():
    return sum(1 for f in warnings.filters if f == MARK)
""",
    "finds_a_module_through_gc": """
import gc, time, types
BOX = {"n": 0, "born": time.monotonic()}

def _oldest_box():
    boxes = [
        m.BOX for m in gc.get_objects()
        if isinstance(m, types.ModuleType) and isinstance(getattr(m, "BOX", None), dict)
        and "born" in m.BOX
    ]
    return min(boxes, key=lambda b: b["born"]) if boxes else BOX

def hit():
    box = _oldest_box()
    box["n"] += 1
    return box["n"]

def count():
    return _oldest_box()["n"]
""",
}


def _score(app: Path) -> dict:
    return {part: q3.evaluate(part, hidden=True, app=app) for part in q3.parts}


@pytest.mark.parametrize("trick", sorted(FORGERIES))
def test_a_forged_stateful_answer_scores_zero(trick, tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = tmp_path / q3.app_file
    app.write_text(STATEFUL + FORGERIES[trick])
    before = _leftovers()
    results = _score(app)
    assert not any(result.passed for result in results.values()), {
        part: result.text() for part, result in results.items()
    }
    assert not Path("/tmp/forged.json").exists()
    assert not Path("/tmp/autograder-forged-by-shell").exists()
    assert not Path("/tmp/autograder-forged-by-ctypes").exists()
    assert _leftovers() <= before  # the checker and all it started are gone


def test_the_app_never_runs_where_the_judge_is(app_dir, redis_service):
    """Where the app runs, no scenario engine, model or expected value exists."""
    app = write_app(
        app_dir,
        "look_around.py",
        """
import gc, sys
def look():
    judge = [m for m in ("autograder.scenario", "autograder.problem") if m in sys.modules]
    models = [type(o).__name__ for o in gc.get_objects() if type(o).__name__.endswith("Model")]
    return judge, models
""",
    )
    with Cluster(app, processes=1, redis=redis_service) as cluster:
        assert cluster("look") == ([], [])
    assert "look_around" not in __import__("sys").modules


# -- bad input: explained in one sentence, nothing left behind ---------------------------
BAD_APPS = {
    "fails_to_import": ("import no_such_module_anywhere\ndef hit():\n    return 1\n", None),
    "forks": (
        "import os\ndef hit():\n    os.fork()\n    return 1\n",
        ("PermissionError", "may not start other processes"),
    ),
    "floods_its_pipe": (
        "def hit():\n    print('x' * 10_000_000)\n    return 'y' * 40_000_000\n",
        ("ReplyTooLarge", "answered with more than 16 MB"),
    ),
    "allocates_gigabytes": (
        "def hit():\n    hog = bytearray(8 * 1024**3)\n    return len(hog)\n",
        ("MemoryError", ""),
    ),
    "closes_its_own_pipe": (
        "import os\ndef hit():\n    os.closerange(3, 1024)\n    return 1\n",
        ("ProcessExited", "ended while serving this request"),
    ),
    "exits_in_a_handler": (
        "import os\ndef hit():\n    os._exit(3)\n",
        ("ProcessExited", "ended while serving this request"),
    ),
    "sends_garbage_down_its_pipe": (
        "import os\ndef hit():\n"
        "    for fd in range(3, 64):\n"
        "        try:\n"
        "            os.write(fd, (8).to_bytes(4, 'big') + b'garbage!')\n"
        "        except OSError:\n"
        "            pass\n"
        "    return 1\n",
        ("BrokenReply", "not a reply"),
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_APPS))
def test_bad_input_is_explained_and_leaves_no_process(name, app_dir, redis_service):
    from autograder.errors import AppCrashed

    source, expected = BAD_APPS[name]
    app = write_app(app_dir, f"bad_{name}.py", source)
    before = _leftovers()
    if expected is None:
        with pytest.raises(AppCrashed) as crash:
            Cluster(app, processes=2, redis=redis_service)
        assert crash.value.args[0]["kind"] == "ModuleNotFoundError"
    else:
        with Cluster(app, processes=2, redis=redis_service) as cluster:
            served = cluster.request("hit")
            kind, words = expected
            assert served.error["kind"] == kind, served.error
            assert words in served.error["message"]
            assert "\n" not in served.error["message"].strip()
            os_pids = {p.os_pid for p in cluster.processes}
        assert all(not _running(pid) for pid in os_pids)
    assert _leftovers() <= before


def test_a_bad_answer_checked_for_real_leaves_no_process(tmp_path, monkeypatch):
    """Through check(): the checker, its fork server, its Redis and every app process."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = tmp_path / q3.app_file
    app.write_text("import os\ndef hit():\n    os._exit(3)\ndef count():\n    return 0\n")
    before = _leftovers()
    results = _score(app)
    assert {r.reason for r in results.values()} == {"process_exited"}
    assert _leftovers() <= before


def test_cluster_close_leaves_only_the_platforms_own_servers(app_dir, redis_service):
    app = write_app(app_dir, "idle.py", "def hit():\n    return 1\n")
    before = _leftovers()
    with Cluster(app, processes=3, redis=redis_service) as cluster:
        cluster.kill(0)
        cluster.scale(5)
        cluster.rolling_restart()
        started = {p.os_pid for p in cluster.processes}
    assert not any(_running(pid) for pid in started)
    assert _leftovers() <= before | {launcher.server_pid()}


def test_the_spawn_start_method_works_too(app_dir, redis_service, monkeypatch):
    monkeypatch.setenv("AUTOGRADER_START", "spawn")
    app = write_app(app_dir, "spawned.py", STATEFUL)
    with Cluster(app, processes=2, redis=redis_service) as cluster:
        assert [cluster("hit") for _ in range(4)] == [1, 1, 2, 2]
        cluster.restart(0)
        assert cluster("hit", to=0) == 1
        started = {p.os_pid for p in cluster.processes}
    assert not any(_running(pid) for pid in started)


# -- helpers ------------------------------------------------------------------------------
def _leftovers() -> set[int]:
    """Processes below this one, except the fork server (it outlives clusters on purpose).
    Tests compare with what ran before (a session's redis-server, a test's own Redis)."""
    return _descendants(os.getpid()) - {launcher.server_pid()}


def _running(pid: int | None) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _descendants(root: int) -> set[int]:
    """Live processes below ``root`` (Linux /proc), zombies not counted."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] in ("Z", "X"):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found
