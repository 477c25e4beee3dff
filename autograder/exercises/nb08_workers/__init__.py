"""08-workers: a web process that enqueues, a worker process that loses nothing when killed.

The learner's app file declares two process types (the Procfile): ``web`` runs
``place_order(order_id, user, amount)``, which stores the order and enqueues a job;
``worker`` runs ``work_one()``, which takes one job, charges the order (the job's effect)
and acknowledges it. The checks run them as real processes of the platform
(:mod:`autograder.formation`). What the jobs did is read by the checker itself, from
Redis, with its own client, at the keys the notebook names: a user's balance is the
integer at ``balance:<user>``, the dead-letter list is ``jobs:dead``. No handler of the
app can answer for work that was never done.

The crash checks are exhaustive: the check first runs a job whole to learn its Redis
commands, then, for every k, replays the job stream and kills the worker right after
the k-th command of that job; a fresh worker takes over once the app's visibility
timeout (``VISIBILITY_TIMEOUT`` in its environment) has passed. That takeover is crashed
in turn: the check saves Redis at the moment a dead worker's job is abandoned, learns the
commands of the fresh worker's call that takes it over, and for every k of the
takeover's own commands (those before the call goes on as a plain job's does) restores
the moment and kills that worker right after its k-th command. The web process is killed
the same way after each of its commands, and the client sends the request again, as a
client that got no answer does. Every run must end with every order charged exactly
once. Each user has one order in a stream, so a user's total names the order that went
wrong.

The package: ``common`` (the Procfile, timeouts, keys, reason codes, orders), ``check``
(one part's run: calls, crashes, saved rounds, the audit), ``crashes``
(survives_crashes), ``parts`` (the other parts, and the table of parts), ``engine``
(one part and seed on a fresh formation); the exercise is declared here.
"""

from __future__ import annotations

from ...problem import AppExercise
from ...registry import bind_exercises
from .common import HIDDEN_SEEDS, VISIBLE_SEEDS
from .engine import worker_check
from .parts import PARTS

worker_app = AppExercise(
    engine=worker_check,
    solution_cell="worker_app",
    app_file="orders.py",
    plans={part: run for part, (run, _scale, _timeout) in PARTS.items()},
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
    budget_seconds=60.0,
)

bind_exercises(globals(), [worker_app])
