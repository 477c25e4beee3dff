"""What the parts of 08 share: the Procfile, the timeouts, the reason codes, the orders."""

from __future__ import annotations

import random
from dataclasses import dataclass

from ...formation import parse_procfile
from ...result import Result

VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2,)  # one: every crash point of a job is tried anyway, and each costs

PROCFILE_TEXT = "web: place_order\nworker: work_one\n"
PROCFILE = parse_procfile(PROCFILE_TEXT)
MAX_TRIES = 3  # a job that fails this many times goes to the dead-letter list
TAKEOVER_SECONDS = 0.15  # the VISIBILITY_TIMEOUT the crash checks give the app (one
# worker at a time there, so a short one steals no live job; each crash point waits it out)
TAKEOVER_WAIT = TAKEOVER_SECONDS + 0.05  # the app compares time.time() on the same clock:
# any wait longer than the timeout makes a dead worker's job abandoned
PATIENT = "30"  # a timeout no check waits for: what must happen without it
GRACEFUL_TIMEOUT = 1.0  # longer than a restart takes: a job handed back is not waited for
CALL_SECONDS = 2.5
START_SECONDS = 5.0

# The keys of the notebook's spec, read by the checker itself with its own client: no
# handler of the app can answer for work that was never done.
BALANCE = "balance:"  # balance:<user>, an integer: what the user has been charged
DEAD = "jobs:dead"  # the dead-letter list: the ids of the jobs that failed MAX_TRIES times

# Reason codes of this notebook (messages: reason.<code> and next.<code> in nb08.py).
LOST_JOB = "lost_job"
ACKED_BEFORE_WORK = "acked_before_work"
LOST_IN_TAKEOVER = "lost_in_takeover"
NOT_TAKEN_OVER = "not_taken_over"
CHARGED_TWICE = "charged_twice"
SAME_JOB_TWICE = "same_job_twice"
POISON_LOOPS = "poison_loops"
NOT_DEAD_LETTERED = "not_dead_lettered"
NOT_HANDED_BACK = "not_handed_back"
WORK_INLINE = "work_inline"
WRONG_TRIES = "wrong_tries"

USERS = ["ana", "bo", "chen", "dara", "eli", "femi", "gus"]


@dataclass(frozen=True)
class Order:
    order_id: str
    user: str
    amount: object  # an int; the poison job's is a word, and its work raises

    @property
    def args(self) -> dict:
        return {"order_id": self.order_id, "user": self.user, "amount": self.amount}


def stream(
    seed: int, count: int = 3, *, poison_at: int | None = None, round: int = 0
) -> list[Order]:
    """The same users and amounts for a seed; the order ids are new in every round, as
    real orders' are (a worker process that outlives a round must not know them)."""
    rng = random.Random(seed * 7919 + count)
    users = rng.sample(USERS, count)
    return [
        Order(
            f"o-{rng.randrange(1000, 9999)}{i}{round:02d}",
            user,
            "free" if i == poison_at else rng.randrange(5, 95),
        )
        for i, user in enumerate(users)
    ]


class Stop(Exception):
    """A part ends early with this result (a failed audit, an error of the app)."""

    def __init__(self, result: Result):
        self.result = result
