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
from .feedback import clip, crash_result, error_result
from .messages import _, has
from .result import CORRECT, INCORRECT, NOT_ATTEMPTED, Result
from .steps import (
    Action,
    HttpRequest,
    Inspect,
    InspectContext,
    Phase,
    Request,
    Scenario,
    describe_step,
)

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
    if not Path(app).exists():
        return _not_written(Path(app), base)
    redis.flush()
    replay = _Replay(
        Path(app), model, redis, compare or same_response, diagnose, request_timeout, base
    )
    for phase in scenario.phases:
        failed = replay.phase(phase, scenario.seed)
        if failed is not None:
            return failed
    if scenario.stores_state and not replay.stored_something:
        return Result(
            INCORRECT,
            NOT_USING_REDIS_URL,
            summary=_("reason.not_using_redis_url"),
            next_step=_("next.not_using_redis_url"),
            **base,
        )
    return Result(CORRECT, CORRECT, summary=_("summary.correct", phases=_phases(scenario)), **base)


def _not_written(app: Path, base: dict) -> Result:
    return Result(
        NOT_ATTEMPTED,
        NOT_WRITTEN,
        summary=_("reason.not_written", app=app.name),
        next_step=_("next.not_written"),
        **base,
    )


@dataclass
class _Replay:
    """One replay of a scenario, phase by phase, and what it carries from one phase to the
    next."""

    app: Path
    model: object
    redis: RedisService
    compare: Callable[[object, object], bool]
    diagnose: Callable | None
    request_timeout: float
    base: dict
    last_pid: dict = field(default_factory=dict)  # user -> the pid that last served them
    # Pids keep counting across phases: a new phase is a redeploy, so a user's previous
    # process from an earlier phase is gone (and must not look like the same process).
    first_pid: int = 1001
    stored_something: bool = False

    def phase(self, phase: Phase, seed: int) -> Result | None:
        """Deploy the phase and play its steps: None when all went well, else the Result."""
        header = describe_phase(phase, seed)
        cluster = None
        try:
            cluster = self._deploy(phase, seed)
            self._play(phase.steps, cluster, header)
            self.stored_something = self.stored_something or self.redis.admin.dbsize() > 0
        except Mismatch as mismatch:
            return mismatch.result
        except AppNotFound:
            return _not_written(self.app, self.base)
        except AppCrashed as crash:
            return crash_result(crash.args[0], header, self.base)
        except Hung as hung:
            return _timeout_result(hung, cluster, header, self.request_timeout, self.base)
        finally:
            if cluster is not None:
                self.first_pid = cluster.next_pid()
                cluster.close()
        return None

    def _deploy(self, phase: Phase, seed: int) -> Cluster:
        with Deadline(self.request_timeout, "start"):
            return Cluster(
                self.app,
                processes=phase.processes,
                router=phase.router,
                seed=seed,
                redis=self.redis,
                env=phase.env,
                capture_output=True,
                first_pid=self.first_pid,
                request_timeout=None,  # the check's own deadline is stricter
            )

    def _play(self, steps: list, cluster: Cluster, header: str) -> None:
        """Every step in order; a request that differs from the model raises Mismatch."""
        last = None
        for step in steps:
            if isinstance(step, Action):
                with Deadline(self.request_timeout, "start"):
                    _apply(cluster, step)
                continue
            if isinstance(step, Inspect):
                context = InspectContext(self.redis.admin, cluster, self.model, last)
                _inspect(step, context, cluster, header, self.base)
                continue
            expected = _expected(self.model, step)
            with Deadline(self.request_timeout, step):
                served = _send(cluster, step)
            _judge(
                cluster,
                served,
                expected,
                self.compare,
                self.diagnose,
                self.last_pid,
                header,
                self.base,
            )
            self.last_pid[served.user] = served.pid
            last = served


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
        reason = _why(served, previous, cluster.pids)
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


def _why(served, previous: int | None, pids: list[int]) -> str:
    """Why a response differs, when the exercise has no diagnosis of its own: from which
    process last served this user (``previous``) and whether it still runs."""
    if previous is None or previous == served.pid:
        # None where a value was due: usually print() instead of return, or a missing
        # `return`, or GET of a key that does not exist yet.
        return RETURNED_NONE if served.value is None else WRONG_RESPONSE
    if previous not in pids:
        return STATE_LOST_ON_RESTART
    return STATE_NOT_SHARED


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


__all__ = ["check_seed", "describe_served", "run", "same_response"]
