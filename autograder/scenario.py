"""Model-based behaviour checks: run a workload on the platform, compare with a model.

An exercise describes *what a correct app does* as a tiny in-memory model (plain Python,
one process, no platform) and a seeded workload: requests from users mixed with restarts,
kills, scaling and router changes. The engine replays the workload on real simulated
processes and stops at the first response that differs from the model's, then explains it:
which process served it, what happened to the processes before, what the user saw and what
they should have seen. The same seed always gives the same schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .backing import RedisService
from .cluster import Cluster, describe_served
from .deadline import Deadline, Hung
from .errors import AppCrashed, AppNotFound
from .feedback import (  # the codes every engine shares, re-exported for exercise modules
    clip,
    crash_result,
    describe_call,
    error_result,
)
from .messages import _, has
from .result import CORRECT, INCORRECT, NOT_ATTEMPTED, Result

# Reason codes of this engine (stable: tests and the wrong-answer catalogue name them);
# the ones every engine shares are in .feedback.
STATE_LOST_ON_RESTART = "state_lost_on_restart"
STATE_NOT_SHARED = "state_not_shared"
WRONG_RESPONSE = "wrong_response"
WRITE_OUTSIDE_DISK = "write_outside_disk"
NOT_USING_REDIS_URL = "not_using_redis_url"
TIMEOUT = "timeout"
NOT_WRITTEN = "not_written"
USERS_SHARE_STATE = "users_share_state"
RETURNED_NONE = "returned_none"


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


class Mismatch(Exception):
    def __init__(self, result: Result):
        self.result = result


def describe_phase(phase: Phase, seed: int) -> str:
    return _("platform.phase", processes=phase.processes, router=phase.router, seed=seed)


def run(
    scenario: Scenario,
    app: Path,
    model,
    *,
    redis: RedisService,
    compare: Callable[[object, object], bool] | None = None,
    diagnose: Callable | None = None,
    request_timeout: float = 5.0,
    exercise: str = "",
    level: str = "visible",
) -> Result:
    """Replay ``scenario`` against the app; return a correct or explained incorrect Result."""
    base = {"exercise": exercise, "seed": scenario.seed, "level": level}
    compare = compare or same_response
    if not Path(app).exists():
        return Result(
            NOT_ATTEMPTED,
            NOT_WRITTEN,
            summary=_("reason.not_written", app=Path(app).name),
            next_step=_("next.not_written"),
            **base,
        )
    redis.flush()
    last_pid: dict[str | None, int] = {}
    # Pids keep counting across phases: a new phase is a redeploy, so a user's previous
    # process from an earlier phase is gone (and must not look like the same process).
    first_pid = 1001
    stored_something = False
    for phase in scenario.phases:
        header = describe_phase(phase, scenario.seed)
        cluster = None
        try:
            with Deadline(request_timeout, "start"):
                cluster = Cluster(
                    app,
                    processes=phase.processes,
                    router=phase.router,
                    seed=scenario.seed,
                    redis=redis,
                    env=phase.env,
                    capture_output=True,
                    first_pid=first_pid,
                    request_timeout=None,  # the check's own deadline below is stricter
                )
            last = None
            for step in phase.steps:
                if isinstance(step, Action):
                    with Deadline(request_timeout, "start"):
                        _apply(cluster, step)
                    continue
                if isinstance(step, Inspect):
                    context = InspectContext(redis.admin, cluster, model, last)
                    _inspect(step, context, cluster, header, base)
                    continue
                expected = _expected(model, step)
                with Deadline(request_timeout, step):
                    served = _send(cluster, step)
                _judge(cluster, served, expected, compare, diagnose, last_pid, header, base)
                last_pid[served.user] = served.pid
                last = served
            stored_something = stored_something or redis.admin.dbsize() > 0
        except Mismatch as mismatch:
            return mismatch.result
        except AppNotFound:
            return Result(
                NOT_ATTEMPTED,
                NOT_WRITTEN,
                summary=_("reason.not_written", app=app.name),
                next_step=_("next.not_written"),
                **base,
            )
        except AppCrashed as crash:
            return crash_result(crash.args[0], header, base)
        except Hung as hung:
            return _timeout_result(hung, cluster, header, request_timeout, base)
        finally:
            if cluster is not None:
                first_pid = cluster.next_pid()
                cluster.close()
    if scenario.stores_state and not stored_something:
        return Result(
            INCORRECT,
            NOT_USING_REDIS_URL,
            summary=_("reason.not_using_redis_url"),
            next_step=_("next.not_using_redis_url"),
            **base,
        )
    return Result(CORRECT, CORRECT, summary=_("summary.correct", phases=_phases(scenario)), **base)


def check_seed(exercise, part: str, app: Path, *, seed: int, level: str, redis) -> Result:
    """The scenario engine for one seed of an exercise's part (``AppExercise.engine``)."""
    kwargs = {}
    if exercise.compare is not None:
        kwargs["compare"] = exercise.compare
    if exercise.diagnose is not None:
        kwargs["diagnose"] = exercise.diagnose
    return run(
        exercise.plans[part](seed),
        Path(app),
        exercise.model(),
        redis=redis,
        exercise=exercise.label,
        level=level,
        **kwargs,
    )


def _expected(model, step: Request | HttpRequest):
    """What a correct app answers: the model's method of the same name, or for an HTTP
    request ``model.http(user, method, path, form)``."""
    if isinstance(step, HttpRequest):
        return model.http(step.user, step.method, step.path, step.form)
    return getattr(model, step.handler)(**step.args)


def _send(cluster: Cluster, step: Request | HttpRequest):
    if isinstance(step, HttpRequest):
        return cluster.http(step.method, step.path, user=step.user, form=step.form)
    return cluster.send(step.handler, step.args, user=step.user)


def _inspect(step: Inspect, context: InspectContext, cluster, header, base) -> None:
    finding = step.check(context)
    if finding is None:
        return
    raise Mismatch(
        Result(
            INCORRECT,
            finding.reason,
            summary=finding.summary,
            platform=[header, *cluster.history(last=10)],
            saw=finding.saw,
            expected=finding.expected,
            seen_in=finding.seen_in,
            next_step=finding.next_step
            or (_(f"next.{finding.reason}") if has(f"next.{finding.reason}") else ""),
            **base,
        )
    )


def same_response(saw, expected) -> bool:
    """The default comparison. A model that returns None means "the answer is not checked"
    (write-only requests like remove_item may return whatever redis-py gave them)."""
    return expected is None or (type(saw) is type(expected) and saw == expected)


def _phases(scenario: Scenario) -> str:
    return "; ".join(describe_phase(p, scenario.seed) for p in scenario.phases)


def _apply(cluster: Cluster, action: Action) -> None:
    if action.kind == "restart":
        cluster.restart(action.target)
    elif action.kind == "kill":
        cluster.kill(action.target % len(cluster.processes))
    elif action.kind == "scale":
        cluster.scale(action.target)
    elif action.kind == "rolling":
        cluster.rolling_restart()
    elif action.kind == "router":
        cluster.set_router(action.router)
    else:
        raise ValueError(f"unknown action {action.kind}")


def _judge(cluster, served, expected, compare, diagnose, last_pid, header, base) -> None:
    platform = [header, *cluster.history(last=10)]
    violations = [v for p in cluster.processes for v in p.violations]
    if violations:
        raise Mismatch(
            Result(
                INCORRECT,
                WRITE_OUTSIDE_DISK,
                summary=_("reason.write_outside_disk", path=violations[0]["path"], pid=served.pid),
                platform=platform,
                next_step=_("next.write_outside_disk"),
                **base,
            )
        )
    if served.error:
        raise Mismatch(error_result(served, platform, base))
    if compare(served.value, expected):
        return
    previous = last_pid.get(served.user)
    reason = diagnose(served, expected, first_visit=previous is None) if diagnose else None
    if reason is None:
        if previous is None or previous == served.pid:
            # None where a value was due: usually print() instead of return, or a missing
            # `return`, or GET of a key that does not exist yet.
            reason = RETURNED_NONE if served.value is None else WRONG_RESPONSE
        elif previous not in cluster.pids:
            reason = STATE_LOST_ON_RESTART
        else:
            reason = STATE_NOT_SHARED
    details = []
    if served.output:
        details.append(_("detail.app_printed", output=clip(served.output)))
    raise Mismatch(
        Result(
            INCORRECT,
            reason,
            summary=_(
                f"reason.{reason}",
                seq=served.seq,
                pid=served.pid,
                previous=previous,
                handler=served.handler,
            ),
            platform=platform,
            saw=repr(served.value),
            expected=repr(expected),
            details=details,
            next_step=_(f"next.{reason}"),
            **base,
        )
    )


def _timeout_result(hung, cluster, header, seconds, base) -> Result:
    platform = [header, *(cluster.history(last=6) if cluster else [])]
    if isinstance(hung.what, Request | HttpRequest):
        what = describe_step(hung.what)
    else:
        what = _("platform.starting_app")
    return Result(
        INCORRECT,
        TIMEOUT,
        summary=_("reason.timeout", what=what, seconds=seconds),
        platform=platform,
        next_step=_("next.timeout"),
        **base,
    )


def describe_step(step: Request | HttpRequest) -> str:
    """A request step as feedback writes it (see :func:`~autograder.feedback.describe_call`)."""
    if isinstance(step, HttpRequest):
        form = {"form": step.form} if step.form is not None else {}
        return describe_call(f"{step.method} {step.path}", form, http=True)
    return describe_call(step.handler, step.args)


# Re-exported for exercise modules that build their own feedback lines.
__all__ = [
    "Action",
    "Finding",
    "HttpRequest",
    "Inspect",
    "InspectContext",
    "Phase",
    "Request",
    "Scenario",
    "run",
    "describe_served",
]
