"""A worker process of a deployment: ``python -m autograder.worker_process APP_FILE``.

The Procfile's ``worker`` line runs this course-owned entry point, never the learner's
file directly: it installs the guard of :mod:`autograder.guard` first (disk: the
deployment's ``COURSE_DISK``), then imports the app file and calls its ``work_one()``
again and again, as 08's platform did, sleeping briefly whenever there is no job.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

IDLE_SECONDS = 0.05


def main(app_file: str) -> None:
    from .guard import DiskGuard
    from .process import child_texts

    path = Path(app_file).resolve()  # relative to the release folder, honcho's cwd
    disk = os.environ["COURSE_DISK"]
    texts = child_texts()
    os.chdir(disk)
    DiskGuard(disk, os.getpid(), texts).install()
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    print(f"worker {os.getpid()} ready: {path.name}", flush=True)
    while True:
        done = module.work_one()
        if done is None:
            time.sleep(IDLE_SECONDS)
        else:
            print(f"did {done}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
