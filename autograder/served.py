"""The WSGI app gunicorn serves: the learner's ``app``, wrapped by the course.

Imported in a gunicorn worker after ``gunicorn_conf.post_fork`` installed the guard. The
app file is ``COURSE_APP_FILE`` (a read-only copy in the deployment's release folder).
The wrapper adds ``X-Served-By: <pid>`` to every response so learners (and the checker's
feedback) see which worker answered. The header is a hint, never a verdict: it comes from
a process that runs learner code, so the checker judges only what it observes itself
(the answers, Redis, /proc).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

# A short pause before each answer (seconds), so that requests sent together are spread
# over the workers instead of being answered one after another by whichever woke first.
SPREAD = float(os.environ.get("COURSE_SPREAD_SECONDS", "0"))


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


_pid = str(os.getpid())  # read before the app is imported: it cannot have replaced getpid
_app_file = Path(os.environ["COURSE_APP_FILE"])
sys.path.insert(0, str(_app_file.parent))
_inner = getattr(_load(_app_file), os.environ.get("COURSE_APP_NAME", "app"))


def app(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Served-By", _pid)], exc_info)

    if SPREAD:
        time.sleep(SPREAD)
    return _inner(environ, start)
