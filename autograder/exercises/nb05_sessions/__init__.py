"""05-sessions: server-side sessions in Redis with a TTL, and logging in and out safely.

Both apps are Flask apps driven over HTTP by simulated browsers (one cookie jar per user,
outside the processes). Every part opens with a short *logic* phase on one process, so a
mistake in the session code itself is reported before any routing or restart. Then the app
runs as several processes behind a random router with restarts and kills: a session that
lives in one process's memory is lost there, whatever the learner's intentions.

Expiry is checked without waiting: :class:`Inspect` steps read the session key's TTL in
Redis, shorten it with PEXPIRE to see that a request slides it back up, and finally let it
run out to see that the user is logged out. The session key is found generically (the one
key whose name contains the session cookie's value), so learners may name keys as they like.

The package, by job: ``model`` (users, requests, :class:`SessionModel`), ``session_keys``
(the session cookie, its keys, its id), ``expiry`` and ``attacks`` (the :class:`Inspect`
steps), ``plans``, ``reasons`` (the reason codes); the exercises are declared here.
"""

from __future__ import annotations

from ...problem import AppExercise
from ...registry import bind_exercises
from .model import SessionModel, compare
from .plans import login_safe_plan, logout_plan, store_expiry_plan, store_shared_plan

VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2, 3)

session_store_app = AppExercise(
    solution_cell="session_store_app",
    app_file="session_shop.py",
    plans={"sessions_shared": store_shared_plan, "sessions_expire": store_expiry_plan},
    model=SessionModel,
    compare=compare,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

account_app = AppExercise(
    solution_cell="account_app",
    app_file="account.py",
    plans={"login_is_safe": login_safe_plan, "logout_ends_session": logout_plan},
    model=SessionModel,
    compare=compare,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

bind_exercises(globals(), [session_store_app, account_app])
