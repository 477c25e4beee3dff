"""09-real-processes: the course's apps deployed for real, then broken on purpose.

q1 (``names_check``): the learner's names app under honcho and gunicorn, with ``kill -9``
of workers, a graceful reload and a fresh deployment. q2 (``procfile_check``): the
learner's Procfile, read as data and started by honcho with the course's own ``shop.py``
(the notebook's section-3 shop, kept next to this module): both types, the worker killed
with orders in flight, and the worker type scaled to two processes.
"""

from __future__ import annotations

from ...problem import AppExercise
from ...registry import bind_exercises
from . import names_check, procfile_check
from .names_check import CRASHED, NAME_NOT_SHARED, Check  # noqa: F401 -- q1's tests use them

names_app = AppExercise(
    engine=names_check.names_check,
    solution_cell="names_app",
    app_file="names.py",
    plans=dict(names_check.PARTS),
    seeds_visible=names_check.VISIBLE_SEEDS,
    seeds_hidden=names_check.HIDDEN_SEEDS,
    budget_seconds=60.0,
    uses_platform=False,
)

procfile_app = AppExercise(
    engine=procfile_check.procfile_check,
    solution_cell="procfile",
    app_file="Procfile",
    plans=dict(procfile_check.PARTS),
    seeds_visible=procfile_check.VISIBLE_SEEDS,
    seeds_hidden=procfile_check.HIDDEN_SEEDS,
    budget_seconds=60.0,
    uses_platform=False,
)

bind_exercises(globals(), [names_app, procfile_app])
