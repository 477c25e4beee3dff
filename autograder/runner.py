"""The checker process: ``python -m autograder.runner MODULE EXERCISE PART LEVEL APP OUT``.

Started by ``check()`` for every app exercise. It owns its own Redis (embedded, or the
``REDIS_URL`` it was given), runs the exercise's scenario for each seed of the level, and
writes the Result as JSON to OUT. The learner's app runs in app processes of its own
(children of this process's fork server); this process -- the judge -- never imports
it, so nothing the app does can reach the scenario, the model or the Result. Whatever
the app does -- loop, exit, print megabytes, fill memory -- the notebook kernel is
untouched, and the caller kills this process group when its time budget runs out.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import warnings
from contextlib import redirect_stderr, redirect_stdout
from importlib import import_module
from pathlib import Path

# A memory ceiling well above any honest answer; a runaway allocation fails here fast
# instead of pushing the grading machine into swap.
MEMORY_LIMIT_BYTES = 4 * 1024**3


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT_BYTES if hard == resource.RLIM_INFINITY else min(hard, MEMORY_LIMIT_BYTES)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


# Printed before any learner code runs: if the caller does not see it, the checker itself
# failed to start (a broken install), and that must not be blamed on the learner's app.
STARTED = "autograder-runner: started"
# Set to "off" by ``check()`` for an exercise that does not run on the simulated platform
# (``AppExercise.uses_platform``): the checker then starts neither its fork server nor its
# embedded Redis, and the engine gets ``redis=None``.
PLATFORM_SWITCH = "AUTOGRADER_CHECKER_PLATFORM"


def _not_dumpable() -> None:
    """Linux: no other process of the same user (an app process included) may read or
    write this process's memory or open its file descriptors through /proc."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0)  # PR_SET_DUMPABLE, 0
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def main(argv: list[str]) -> int:
    module_name, exercise_name, part, level, app, out = argv
    _limit_memory()
    _not_dumpable()
    if os.environ.get(PLATFORM_SWITCH) != "off":
        # Imported before the fork, so the server has them without importing them again:
        # the child's code and redis-py (libraries, nothing of the judge).
        import redis.client  # noqa: F401

        from . import child, launcher  # noqa: F401

        # Forked now, while this process has no threads and holds nothing of the judge
        # (the exercise module is imported below): the server starts with redis-py and
        # the child's code already loaded, and preloads the rest while this process
        # imports the exercise.
        launcher.warm_up(here=True)
        from .backing import RedisService

        service = RedisService()
    else:  # the exercise deploys with real tools (09): no fork server, no embedded Redis
        service = contextlib.nullcontext()
    exercise = getattr(import_module(module_name), exercise_name)
    sink = io.StringIO()
    with service as redis:
        print(STARTED, flush=True)
        with warnings.catch_warnings(), redirect_stdout(sink), redirect_stderr(sink):
            warnings.simplefilter("ignore")
            result = exercise.run_here(part, Path(app), level=level, redis=redis)
    Path(out).write_text(json.dumps(result.as_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
