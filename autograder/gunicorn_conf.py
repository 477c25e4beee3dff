"""The course's gunicorn configuration (``gunicorn -c python:autograder.gunicorn_conf``).

gunicorn's master process never imports the learner's app (no ``--preload``): each worker
imports it after it is forked. ``post_fork`` runs in the new worker before that import and
makes the worker a process of the course: its working directory is the deployment's disk,
and the audit hook of :mod:`autograder.guard` is installed, so the app cannot write outside
that disk, start programs, call C or send signals. The learner's code therefore only ever
runs under the guard, and the judge (the checker) is another process altogether.
"""

from __future__ import annotations

import os

# Libraries (never the learner's code) imported once in the master, so that each worker,
# forked from it, does not import them again: a worker then boots in milliseconds.
import flask  # noqa: F401
import redis  # noqa: F401

from autograder.guard import DiskGuard
from autograder.process import child_texts

# Read in the master, once: an app process cannot load the message catalogue itself.
_TEXTS = child_texts()
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
timeout = 10  # a worker silent this long is killed by the master and replaced
graceful_timeout = 2
preload_app = False
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s pid=%({x-served-by}o)s'


def post_fork(server, worker) -> None:
    disk = os.environ["COURSE_DISK"]
    os.chdir(disk)
    DiskGuard(disk, os.getpid(), _TEXTS).install()
