"""Building blocks of the check plans that notebooks 02 and later share.

A plan turns a seed into a :class:`~autograder.steps.Scenario`. The visible check runs
the visible seed; hidden seeds replay *harsher* schedules (more processes, more rounds)
with random *disruptions* between requests. Every notebook that needs these imports them
from here, so a change to what "a disruption" means reaches all of them at once.
"""

from __future__ import annotations

import random

from .steps import Action, Request

VISIBLE_SEEDS = (1,)


def harsh(seed: int, visible: tuple[int, ...] = VISIBLE_SEEDS) -> bool:
    """Hidden seeds get more processes and longer schedules than the visible one."""
    return seed not in visible


def user_request(handler: str, user: str, **args) -> Request:
    """A request made by ``user`` (its ``user`` argument names them too)."""
    return Request(handler, {"user": user, **args}, user)


def disruption(
    rng: random.Random, processes: int, *, grow_by: int = 2, shrink_to_one: bool = False
) -> Action:
    """One thing the platform does between requests: a restart, a kill, a rolling
    restart, or scaling to 2 .. ``processes + grow_by`` (and, with ``shrink_to_one``,
    down to one or two processes).

    Every candidate is drawn before the choice, in this order, so a seed replays the
    same schedule it always did.
    """
    candidates = [
        Action("restart"),
        Action("kill", rng.randrange(processes)),
        Action("rolling"),
        Action("scale", rng.randint(2, processes + grow_by)),
    ]
    if shrink_to_one:
        candidates.append(Action("scale", rng.randint(1, 2)))
    return rng.choice(candidates)
