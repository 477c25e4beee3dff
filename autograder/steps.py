"""The typed steps a scenario is made of, and the scenario itself.

A :class:`Scenario` is a seed and a list of :class:`Phase` (a deployment: N processes
behind one router), each a list of steps: a :class:`Request` (a call of one of the app's
functions), an :class:`HttpRequest` (from a user's browser), an :class:`Action` of the
platform (restart, kill, scale, ...) or an :class:`Inspect` (a look behind the app).
Exercises build them (see :mod:`autograder.plans`); :mod:`autograder.scenario` replays
them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .feedback import describe_call

if TYPE_CHECKING:
    from .cluster import Cluster


@dataclass
class Request:
    """A call of one of the app's functions, ``handler(**args)``, routed as ``user``."""

    handler: str
    args: dict = field(default_factory=dict)
    user: str | None = None


@dataclass
class HttpRequest:
    """An HTTP request from ``user``'s browser to the app's WSGI ``app``; the model answers
    it with ``model.http(user, method, path, form)``."""

    method: str
    path: str
    user: str | None = None
    form: dict | None = None


@dataclass
class Action:
    """A platform action between requests: restart | kill | scale | rolling | router."""

    kind: str
    target: int | None = None  # slot for restart/kill, count for scale
    router: str | None = None


@dataclass
class Finding:
    """What an :class:`Inspect` step found wrong: a reason code and its explanation.
    ``saw``/``expected`` describe what ``seen_in`` held ("redis": Redis, "browser": the
    user's browser) and what a correct app leaves there."""

    reason: str
    summary: str
    expected: str = ""
    saw: str = ""
    next_step: str = ""
    seen_in: str = "redis"


@dataclass
class InspectContext:
    redis: object  # admin redis-py client of the check's Redis (decode_responses=True)
    cluster: Cluster
    model: object
    last: object  # the last Served, or None


@dataclass
class Inspect:
    """A look behind the app between requests (TTL values, keys): ``check(ctx)`` returns
    None when all is well, or a :class:`Finding`. It may also change the backing service
    to make time pass (``ctx.redis.pexpire(key, 1)``)."""

    check: Callable[[InspectContext], Finding | None]


@dataclass
class Phase:
    """One deployment of the app: N processes behind one router, then a list of steps."""

    processes: int
    router: str
    steps: list
    env: dict | None = None  # extra environment of every process (e.g. a short TTL)


@dataclass
class Scenario:
    phases: list[Phase]
    seed: int
    stores_state: bool = True  # a correct app must leave something in Redis


def describe_step(step: Request | HttpRequest) -> str:
    """A request step as feedback writes it (see :func:`~autograder.feedback.describe_call`)."""
    if isinstance(step, HttpRequest):
        form = {"form": step.form} if step.form is not None else {}
        return describe_call(f"{step.method} {step.path}", form, http=True)
    return describe_call(step.handler, step.args)
