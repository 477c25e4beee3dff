"""``flask --app MODULE run``, as the course runs it: one guarded process.

A learner's Procfile may serve the web type with Flask's development server. The course
never runs the learner's line; it runs this entry point instead
(``python -m autograder.flask_process --port PORT``): the guard of :mod:`autograder.guard`
first (disk: the deployment's ``COURSE_DISK``), then the app of ``COURSE_APP_FILE``
wrapped by :mod:`autograder.served` (the ``X-Served-By`` header), served by werkzeug on
127.0.0.1 with threads, as ``flask run`` does: one process, however many requests.
"""

from __future__ import annotations

import argparse
import os


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m autograder.flask_process")
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args(argv).port

    from werkzeug.serving import run_simple

    from .guard import DiskGuard
    from .process import child_texts

    disk = os.environ["COURSE_DISK"]
    texts = child_texts()
    os.chdir(disk)
    DiskGuard(disk, os.getpid(), texts).install()
    from .served import app  # imports the app file, under the guard

    run_simple("127.0.0.1", port, app, threaded=True)


if __name__ == "__main__":
    main()
