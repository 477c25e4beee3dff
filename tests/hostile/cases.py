"""Hostile and broken submissions of notebook 01-one-process, as real classes produce them.

Each case is one student of ONE class graded by one real ``nbgrader autograde`` run
(tests/test_hostile.py). A case changes the reference submission (full marks: 7 points)
and says the exact score each test cell must get. Processes a case starts carry MARKER
on their command line, so the test can prove none of them survived grading.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

ASSIGNMENT = "01-one-process"
MARKER = "hostile-submission-marker"
POINTS = {
    "global_restart_prediction": 1.0,
    "file_restart_prediction": 1.0,
    "counter_survives_restarts": 2.0,
    "counter_shared_by_processes": 3.0,
}
APP_TESTS = ("counter_survives_restarts", "counter_shared_by_processes")
NO_APP = dict.fromkeys(APP_TESTS, 0.0)
NOTHING = dict.fromkeys(POINTS, 0.0)

HEADER = "%%writefile counter_redis.py\n"
APP = """import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
KEY = "hits"
{extra_top}

def hit():
    {extra_hit}return r.incr(KEY)


def count():
    return int(r.get(KEY) or 0)
"""


def app(extra_top: str = "", extra_hit: str = "") -> str:
    return HEADER + APP.format(extra_top=extra_top, extra_hit=extra_hit)


SLEEPER = f"[sys.executable, '-c', 'import time; time.sleep(900)', {MARKER!r}]"
NEW_SESSION = (
    "import subprocess, sys\n"
    f"subprocess.Popen({SLEEPER}, start_new_session=True, stdin=subprocess.DEVNULL,\n"
    "                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
)
DOUBLE_FORK = (
    "import os, sys\n"
    "_pid = os.fork()\n"
    "if _pid == 0:\n"
    "    os.setsid()\n"
    "    if os.fork() == 0:\n"
    "        _null = os.open(os.devnull, os.O_RDWR)\n"
    "        for _fd in (0, 1, 2):\n"
    "            os.dup2(_null, _fd)\n"
    f"        os.execv(sys.executable, {SLEEPER})\n"
    "    os._exit(0)\n"
    "os.waitpid(_pid, 0)\n"
)
FAKE_REDIS = (
    "%%writefile redis.py\n"
    "# A 'redis' that keeps everything in a dict: passes in one process, nowhere else.\n"
    "_data = {}\n"
    "class Redis:\n"
    "    @classmethod\n"
    "    def from_url(cls, *a, **k):\n"
    "        return cls()\n"
    "    def incr(self, key):\n"
    "        _data[key] = _data.get(key, 0) + 1\n"
    "        return _data[key]\n"
    "    def get(self, key):\n"
    "        return _data.get(key)\n"
)


@dataclass
class Case:
    name: str
    why: str
    replace: dict = field(default_factory=dict)  # grade id -> new source, None deletes
    expect: dict = field(default_factory=dict)  # test grade id -> points (others: full)
    edit: object = None  # optional fn(notebook dict) -> notebook dict | bytes
    graded: bool = True  # False: nbgrader reports that it cannot grade it (and scores 0)

    def scores(self) -> dict[str, float]:
        return {gid: self.expect.get(gid, full) for gid, full in POINTS.items()}


def _duplicate(gid):
    def edit(nb):
        i = next(k for k, c in enumerate(nb["cells"]) if _gid(c) == gid)
        nb["cells"].insert(i + 1, copy.deepcopy(nb["cells"][i]))
        return nb

    return edit


def _retype(gid, cell_type):
    def edit(nb):
        for c in nb["cells"]:
            if _gid(c) == gid:
                c["cell_type"] = cell_type
                c.pop("outputs", None)
                c.pop("execution_count", None)
        return nb

    return edit


def _kernel(nb):
    nb["metadata"]["kernelspec"] = {"name": "evil", "display_name": "Evil", "language": "python"}
    return nb


def _gid(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


STUB = (
    HEADER
    + "def hit():\n    raise NotImplementedError\n\n\ndef count():\n    raise NotImplementedError\n"
)

CASES = [
    Case("reference", "the reference answers"),
    # --- loops and crashes ---------------------------------------------------------
    Case(
        "loop_at_import",
        "the app never finishes importing (the notebook's own demo cell hangs too)",
        {"counter_redis_app": app(extra_top="while True:\n    pass\n")},
        NO_APP,
    ),
    Case(
        "loop_in_handler",
        "hit() never returns",
        {"counter_redis_app": app(extra_hit="while True:\n        pass\n    ")},
        NO_APP,
    ),
    Case(
        "sys_exit",
        "sys.exit() in an answer cell: IPython catches SystemExit, the kernel lives",
        {"predict_file_restart": "import sys\nfile_after_restart = 1\nsys.exit()"},
    ),
    Case(
        "os_exit",
        "os._exit() kills the kernel: the cells after it are not run",
        {"predict_file_restart": "import os\nfile_after_restart = 1\nos._exit(0)"},
        {"file_restart_prediction": 0.0, **NO_APP},
    ),
    Case(
        "kill_kernel",
        "os.kill(os.getpid(), 9) kills the kernel",
        {"predict_file_restart": "import os\nfile_after_restart = 1\nos.kill(os.getpid(), 9)"},
        {"file_restart_prediction": 0.0, **NO_APP},
    ),
    # --- processes that try to outlive grading -----------------------------------------
    Case(
        "detached_processes",
        "one answer cell starts a child in its own session, another double-forks a daemon",
        {
            "predict_global_restart": NEW_SESSION + "global_after_restart = 1",
            "predict_file_restart": DOUBLE_FORK + "file_after_restart = 1",
        },
    ),
    Case(
        "app_starts_daemon",
        "a correct app that starts a detached child every time a process starts: the "
        "platform refuses it (an app process may not start programs; the check says so) "
        "and nothing is left running",
        {"counter_redis_app": app(extra_top=NEW_SESSION)},
        NO_APP,
    ),
    # --- floods, hogs, Redis abuse ------------------------------------------------------
    Case(
        "noisy_notebook",
        "answer cells print 20 MB, empty the notebook's Redis, and ask for 64 GB",
        {
            "predict_global_restart": (
                "r = start_redis()\nr.flushall()\nprint('x' * 20_000_000)\nglobal_after_restart = 1"
            ),
            "predict_file_restart": "file_after_restart = 1\nhog = bytearray(64 * 1024**3)",
        },
    ),
    Case(
        "allocate_in_app",
        "hit() asks for 64 GB (refused by the checker's memory limit)",
        {"counter_redis_app": app(extra_hit="hog = bytearray(64 * 1024**3)\n    ")},
        NO_APP,
    ),
    Case(
        "flushall_in_app",
        "the app empties Redis whenever a process starts: the count is lost on restart",
        {"counter_redis_app": app(extra_top="r.flushall()\n")},
        NO_APP,
    ),
    Case(
        "redis_abuse_app",
        "the app uses database 3 and deletes every other key: still one shared service",
        {
            "counter_redis_app": app(
                extra_top='r = redis.Redis.from_url(os.environ["REDIS_URL"], db=3, '
                "decode_responses=True)\n",
                extra_hit="for k in r.keys('*'):\n        if k != KEY:\n"
                "            r.delete(k)\n    ",
            )
        },
    ),
    # --- faking a pass ---------------------------------------------------------------
    Case(
        "fake_a_pass",
        "every way a kernel can fake a pass, in one answer cell: replaces every check with a "
        "no-op, patches autograder.problem so every check returns a passing Result, and "
        "installs an IPython exception handler that hides every error; app unwritten, "
        "first prediction wrong. Each alone would raise a score, none undoes another: "
        "any one that worked would show here",
        {
            "predict_global_restart": (
                "q1.check = q2.check = q3.check = lambda *a, **k: None\n"
                "import autograder.problem as p\n"
                "from autograder.result import Result\n"
                "ok = lambda *a, **k: Result('correct', 'correct')\n"
                "p.run_in_checker = ok\n"
                "p.Prediction.evaluate = ok\n"
                "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\n"
                "global_after_restart = 42"
            ),
            "counter_redis_app": STUB,
        },
        {"global_restart_prediction": 0.0, **NO_APP},
    ),
    Case(
        "shadow_redis_module",
        "writes its own redis.py keeping data in a dict: never imported by a check",
        {"predict_global_restart": FAKE_REDIS},
        {"global_restart_prediction": 0.0},
    ),
    # --- broken notebooks -------------------------------------------------------------
    Case(
        "deleted_cells",
        "deleted a test cell (restored, graded) and an answer cell (restored as the stub)",
        {"counter_shared_by_processes": None, "predict_file_restart": None},
        {"file_restart_prediction": 0.0},
    ),
    Case(
        "tampered_structure",
        "duplicated the app answer cell, made a test cell markdown, renamed the kernel",
        edit=lambda nb: _kernel(
            _retype("counter_survives_restarts", "markdown")(_duplicate("counter_redis_app")(nb))
        ),
    ),
    Case(
        "edited_test_cells",
        "replaced the app's test cells with `pass` and left the app unwritten",
        {
            "counter_survives_restarts": "pass",
            "counter_shared_by_processes": "pass",
            "counter_redis_app": STUB,
        },
        NO_APP,
    ),
    Case(
        "no_cells",
        "a valid notebook with no cells: nbgrader refuses it (0 points, logged)",
        edit=lambda nb: {**nb, "cells": []},
        expect=NOTHING,
        graded=False,
    ),
    Case(
        "invalid_json",
        "not JSON at all",
        edit=lambda nb: b"{ this is not json",
        expect=NOTHING,
        graded=False,
    ),
    Case("empty_file", "an empty file", edit=lambda nb: b"", expect=NOTHING, graded=False),
]


def build(case: Case, release_nb, source_nb) -> bytes:
    """The submission file of one case."""
    from tests import nbgrader_harness as h

    nb = h.build_submission(release_nb, source_nb, case.replace)
    data = json.loads(json.dumps(nb))
    if case.edit is not None:
        data = case.edit(data)
    return data if isinstance(data, bytes) else json.dumps(data, indent=1).encode()


# --- forgeries: sealed grading (issue 12) ------------------------------------------------
# Each writes its forgery from an answer cell, with a wrong prediction and the app left
# unwritten: 1 point is honest (the second prediction), anything more is forged. Forgeries
# that aim at the same thing share a student, each in its own try (one that fails does
# not stop the next): a student is a whole nbgrader run of the notebook. Files
# a forgery tries to leave behind are named FORGED_FILES, so the test can prove that
# none exists anywhere afterwards.
FORGED_FILES = ("zz_forge.pth", "sitecustomize.py", "usercustomize.py", "00-forge.py")
FORGED_CONFIG = ("ipython_kernel_config.py", "nbgrader_config.py", "jupyter_config.py")
FORGERS = ("hook_site", "hook_kernel_startup", "gradebook_forger")
# Who a forgery tries to hurt: graded before all of them, and after all of them.
CLASSMATES = ("aa_classmate", "zz_classmate")
HONEST_ONLY = {"global_restart_prediction": 0.0, **NO_APP}

# In a checker process: every result it writes says "correct" (a forged pass).
FORGE_RESULT = (
    "import autograder.result as _r, dataclasses as _d; "
    "_r.Result.as_dict = lambda self: dict(_d.asdict(self), outcome='correct')"
)
# In a kernel: every check fails (sabotage of whoever is graded next).
SABOTAGE = (
    "import autograder.problem as _p; "
    "_p.Exercise.check = lambda *a, **k: (_ for _ in ()).throw(RuntimeError('sabotaged'))"
)


def _forge(body: str) -> str:
    """An answer cell that tries body (its errors swallowed), then predicts wrongly."""
    indented = "".join(f"    {line}\n" for line in body.split("\n"))
    return (
        f"import os, site, sys\ntry:\n{indented}"
        "except Exception as exc:\n    print('forgery failed:', type(exc).__name__)\n"
        "global_after_restart = 42"
    )


def _write_each(folders: str, name: str, text: str) -> str:
    return (
        f"for _d in {folders}:\n"
        "    try:\n"
        "        os.makedirs(_d, exist_ok=True)\n"
        f"        open(os.path.join(_d, {name!r}), 'w').write({text!r})\n"
        "        print('wrote', _d)\n"
        "    except OSError:\n"
        "        pass"
    )


SITE_DIRS = "site.getsitepackages() + [site.getusersitepackages(), os.getcwd(), sys.prefix]"
STARTUP_DIRS = (
    "[get_ipython().profile_dir.startup_dir, "
    "os.path.expanduser('~/.ipython/profile_default/startup')]"
)
CONFIG_DIRS = (
    "[get_ipython().profile_dir.location, __import__('jupyter_core.paths').paths.jupyter_"
    "config_dir(), os.path.expanduser('~/.jupyter'), os.path.expanduser('~/.ipython/"
    "profile_default')]"
)
GRADEBOOK = """import sqlite3
db = sqlite3.connect('file:../../../gradebook.db?mode=rw', uri=True)
mine = ("select g.id from grade g join submitted_notebook n on g.notebook_id = n.id "
        "join submitted_assignment a on n.assignment_id = a.id where a.student_id = ?")
db.execute(f"update grade set extra_credit = 5 where id in ({mine})", ("gradebook_forger",))
db.execute(f"update grade set manual_score = 0 where id in ({mine})", ("aa_classmate",))
db.commit()
print('gradebook forged')"""

FORGERY_CASES = [
    Case(c, "a classmate with the reference answers: no forgery may change their score")
    for c in CLASSMATES
] + [
    Case(
        "hook_site",
        "a .pth, sitecustomize.py and usercustomize.py wherever Python might load them "
        "(site-packages, the user site), each making every checker report 'correct'",
        {
            "predict_global_restart": _forge(
                _write_each(SITE_DIRS, "zz_forge.pth", FORGE_RESULT + "\n")
            )
            + "\n"
            + _forge(
                _write_each(SITE_DIRS, "sitecustomize.py", FORGE_RESULT + "\n")
                + "\n"
                + _write_each(SITE_DIRS, "usercustomize.py", FORGE_RESULT + "\n")
            ),
            "counter_redis_app": STUB,
        },
        HONEST_ONLY,
    ),
    Case(
        "hook_kernel_startup",
        "an IPython startup file, and kernel and nbgrader config files: later kernels would "
        "run a sabotage that makes every check fail, later nbgrader runs would turn the "
        "sandbox off",
        {
            "predict_global_restart": _forge(_write_each(STARTUP_DIRS, "00-forge.py", SABOTAGE))
            + "\n"
            + _forge(
                _write_each(
                    CONFIG_DIRS,
                    "ipython_kernel_config.py",
                    f"c.InteractiveShellApp.exec_lines = [{SABOTAGE!r}]\n",
                )
                + "\n"
                + _write_each(
                    CONFIG_DIRS, "nbgrader_config.py", "c.GuardedExecute.sandbox = 'none'\n"
                )
                + "\n"
                + _write_each(
                    CONFIG_DIRS, "jupyter_config.py", "c.GuardedExecute.sandbox = 'none'\n"
                )
            ),
            "counter_redis_app": STUB,
        },
        HONEST_ONLY,
    ),
    Case(
        "gradebook_forger",
        "opens ../../../gradebook.db: 5 extra credit per cell for itself, 0 for a classmate",
        {"predict_global_restart": _forge(GRADEBOOK), "counter_redis_app": STUB},
        HONEST_ONLY,
    ),
    Case(
        "snoop",
        "prints the source notebook, classmates' folders and scores, the reference app and "
        "every cell the kernel runs (hidden tests included), into its own feedback",
        {
            "predict_global_restart": _forge(
                "import glob, json\n"
                "print(os.listdir('../..'), os.listdir('../../../submitted'))\n"
                "print(open('../../../source/01-one-process/01-one-process.ipynb').read())\n"
                "print(open('../../../gradebook.db', 'rb').read()[-4000:])\n"
                "print(glob.glob('/**/solutions/*.ipynb', recursive=True))\n"
                "from autograder.solutions import reference_source\n"
                "print(reference_source('01-one-process', 'counter_redis_app'))"
            )
            + "\nq3.solution()\n"
            + "get_ipython().events.register('pre_run_cell', lambda info: print(info.raw_cell))",
            "predict_file_restart": "print(In)\nfile_after_restart = 42",
            "counter_redis_app": STUB,
        },
        NOTHING,
    ),
]
CASES += FORGERY_CASES
