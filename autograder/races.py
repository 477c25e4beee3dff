"""The race engine: lost updates between processes, shown every time, on the platform.

An exercise gives an in-memory model (what a correct app answers) and seeded plans. A
plan runs on a :class:`~autograder.fleet.Fleet` of real app processes (each with its own
redis-py client and connection to the check's Redis), kept for the whole plan, in steps:

- :class:`Call`: one request on one process, compared with the model.
- :class:`Race`: one request pauses right after a chosen command (by default its first
  read reply: ``NthRead(1)``), others run whole requests on other processes meanwhile,
  then the paused one finishes. The Redis server really sees ``A:GET B:GET B:SET A:SET``,
  so a read-modify-write answer loses the update on every run, not by luck; a correct
  answer (an atomic command, WATCH/MULTI/EXEC with a retry, a Lua script) behaves as if
  the paused request came last. The model is asked in the order a correct app must
  behave: the others first and the paused request last when it had only read before
  pausing (its decision must not rest on that stale read), else in arrival order.
- :class:`Hammer`: every process waits at a barrier, then calls a handler many times at
  once; the exercise's ``audit`` judges the totals (nothing oversold, nothing lost).
- :class:`Fresh`: Redis is emptied and the model starts again.

The first response that differs stops the plan and is explained with the exercise's
``diagnose(served, expected, first_visit=...)`` (the scenario engine's signature).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .deadline import Deadline, Hung
from .errors import AppCrashed
from .feedback import crash_result, describe_call, error_result
from .fleet import Fleet, Hang, Reply
from .messages import _
from .pause import NthCommand, NthRead, only_reads
from .process import Served
from .result import CORRECT, INCORRECT, NOT_ATTEMPTED, Result
from .scenario import (
    NOT_USING_REDIS_URL,
    NOT_WRITTEN,
    STATE_NOT_SHARED,
    TIMEOUT,
    WRITE_OUTSIDE_DISK,
    WRONG_RESPONSE,
)

CALL_SECONDS = 2.5  # one request (a hanging handler is reported after this)
BLOCKED_SECONDS = 0.5  # how long the others may wait for a paused request (a lock)
START_SECONDS = 5.0  # the fleet's processes import the app


# == the steps of a plan =====================================================================
@dataclass
class Call:
    handler: str
    args: dict = field(default_factory=dict)
    worker: int = 0  # the fleet's slot that serves it


@dataclass
class Race:
    """``first`` pauses right after ``pause_after`` (an :class:`NthRead` or
    :class:`NthWrite`), ``others`` run, ``first`` finishes. ``reasons`` renames the
    diagnosed reason of a wrong answer inside this race (a refusal while another request
    is paused after its write is a different mistake from a refusal after a read)."""

    first: Call
    others: list
    pause_after: NthCommand = NthRead(1)
    reasons: dict = field(default_factory=dict)


@dataclass
class Hammer:
    """Every process ``i`` calls ``handler(**args[i])`` ``times`` times at once;
    ``audit(results, replay)`` judges the totals (a Result, or None when all is well)."""

    handler: str
    args: list
    times: int
    audit: object


@dataclass
class Fresh:
    """A new round: Redis is emptied and the model starts again."""


@dataclass
class Plan:
    steps: list
    workers: int = 3


class Stop(Exception):
    def __init__(self, result: Result):
        self.result = result


def describe(call: Call, pid: int) -> str:
    return _("platform.race.call", call=describe_call(call.handler, call.args), pid=pid)


def same(saw, expected) -> bool:
    if expected is None:
        return True
    if isinstance(expected, bool) and type(saw) is int and saw in (0, 1):
        saw = bool(saw)  # 1/0 from a Lua script read as True/False
    return type(saw) is type(expected) and saw == expected


# == one plan on one fleet ===================================================================
class Replay:
    """Runs one plan's steps on a fleet, keeping a log of what every process did."""

    def __init__(self, fleet: Fleet, redis, *, model, diagnose, base: dict):
        self.fleet = fleet
        self.redis = redis
        self.new_model = model
        self.model = model()
        self.diagnose = diagnose
        self.base = base
        self.log: list[str] = []
        self.raced = False  # has a race or a hammer run since Redis was last emptied?
        self.workers_used: set[int] = set()
        self.previous_pid = None
        self.reasons: dict = {}  # the running race's renamed reasons

    def pid(self, call: Call) -> int:
        return self.fleet.pid(call.worker)

    def expect(self, call: Call):
        return getattr(self.model, call.handler)(**call.args)

    def run(self, step) -> None:
        if isinstance(step, Fresh):
            self.redis.flush()
            self.model = self.new_model()
            self.raced = False
            self.workers_used = set()
            self.log.append(_("platform.race.fresh"))
        elif isinstance(step, Call):
            reply = self.call(step)
            self.judge(step, reply, self.expect(step))
        elif isinstance(step, Race):
            self.raced = True
            self.reasons = step.reasons
            try:
                self.race(step)
            finally:
                self.reasons = {}
        elif isinstance(step, Hammer):
            self.raced = True
            self.hammer(step)

    def call(self, call: Call, pause_after=None) -> Reply:
        self.fleet.send(call.worker, call.handler, call.args, pause_after=pause_after)
        return self.wait(call)

    def wait(self, call: Call, seconds: float = CALL_SECONDS) -> Reply:
        try:
            return self.fleet.reply(call.worker, seconds)
        except Hang:
            self.log.append(_("platform.race.no_answer", call=describe(call, self.pid(call))))
            raise

    def done(self, call: Call, reply: Reply, extra: str = "") -> None:
        if reply.error:
            outcome = _("platform.race.outcome.error", kind=reply.error["kind"])
        else:
            outcome = _("platform.race.outcome.value", value=repr(reply.value))
        call_text = describe(call, self.pid(call))
        self.log.append(_("platform.race.done", call=call_text, extra=extra, outcome=outcome))

    def judge(self, call: Call, reply: Reply, expected, *, logged: bool = False) -> None:
        previous, self.previous_pid = self.previous_pid, self.pid(call)
        self.workers_used.add(call.worker)
        if not logged:
            self.done(call, reply)
        self.refuse_writes_outside_disk(call)
        if reply.error:
            raise Stop(self.error_result(call, reply))
        if same(reply.value, expected):
            return
        served = self.served(call, value=reply.value)
        reason = None
        if self.diagnose:
            reason = self.diagnose(served, expected, first_visit=previous is None)
        reason = self.reasons.get(reason, reason) or WRONG_RESPONSE
        if not self.raced and len(self.workers_used) > 1:
            # No race yet in this round, one request at a time: the processes disagree
            # because the state lives in each of them.
            reason = STATE_NOT_SHARED
        raise Stop(
            Result(
                INCORRECT,
                reason,
                summary=_(
                    f"reason.{reason}",
                    seq=len(self.log),
                    handler=call.handler,
                    pid=self.pid(call),
                    previous=previous,
                ),
                platform=self.log[-14:],
                saw=repr(reply.value),
                expected=repr(expected),
                next_step=_(f"next.{reason}"),
                **self.base,
            )
        )

    def served(self, call: Call, **fields) -> Served:
        """The call as the platform's record of a request (what feedback builders read)."""
        return Served(
            len(self.log), call.handler, dict(call.args), self.pid(call), call.worker, **fields
        )

    def error_result(self, call: Call, reply: Reply) -> Result:
        return error_result(self.served(call, error=reply.error), self.log[-14:], self.base)

    def refuse_writes_outside_disk(self, call: Call) -> None:
        """A write the disk guard refused fails the check even when the app caught it."""
        for process in self.fleet.processes:
            if process.violations:
                path = process.violations[0]["path"]
                raise Stop(
                    Result(
                        INCORRECT,
                        WRITE_OUTSIDE_DISK,
                        summary=_("reason.write_outside_disk", path=path, pid=process.pid),
                        platform=self.log[-14:],
                        next_step=_("next.write_outside_disk"),
                        **self.base,
                    )
                )

    # -- a race ------------------------------------------------------------------------
    def race(self, race: Race) -> None:
        first, others = race.first, race.others
        reply = self.call(first, pause_after=race.pause_after)
        if reply.event == "done":  # never reached its pause: nothing to race with
            self.done(first, reply)
            self.judge(first, reply, self.expect(first), logged=True)
            for call in others:
                self.run(call)
            return
        self.log.append(
            _(
                "platform.race.paused",
                call=describe(first, self.pid(first)),
                commands=", ".join(reply.commands),
            )
        )
        read_only = only_reads(reply.commands)
        replies: list[Reply] = []
        for call in others:
            self.fleet.send(call.worker, call.handler, call.args)
            if not self.fleet.answered(call.worker, BLOCKED_SECONDS):
                # Waiting for the paused request (a lock): let it go first.
                self.log.append(_("platform.race.blocked", call=describe(call, self.pid(call))))
                return self.blocked(race, replies)
            replies.append(self.wait(call))
        self.fleet.resume(first.worker)
        last = self.wait(first)
        for call, got in zip(others, replies, strict=True):
            self.done(call, got)
        self.done(first, last, _("platform.race.resumed"))
        if read_only:
            expected_others = [self.expect(c) for c in others]
            expected_first = self.expect(first)
        else:
            expected_first = self.expect(first)
            expected_others = [self.expect(c) for c in others]
        for call, got, expected in zip(others, replies, expected_others, strict=True):
            self.judge(call, got, expected, logged=True)
        self.judge(first, last, expected_first, logged=True)

    def blocked(self, race: Race, replies: list[Reply]) -> None:
        """One of the others waits for the paused request: it goes on first, then the
        waiting one, then the rest, each compared in that order."""
        first, others = race.first, race.others
        self.fleet.resume(first.worker)
        last = self.wait(first)
        self.done(first, last, _("platform.race.resumed"))
        self.judge(first, last, self.expect(first), logged=True)
        for call, earlier in zip(others, replies, strict=False):
            self.done(call, earlier)
        expected_others = [self.expect(c) for c in others]
        waiting = others[len(replies)]  # sent, and waiting for the lock until now
        replies.append(self.wait(waiting))
        self.done(waiting, replies[-1])
        for call in others[len(replies) :]:  # not sent yet
            replies.append(self.call(call))
            self.done(call, replies[-1])
        for call, got, expected in zip(others, replies, expected_others, strict=True):
            self.judge(call, got, expected, logged=True)

    # -- a load ------------------------------------------------------------------------
    def hammer(self, hammer: Hammer) -> None:
        failed = self.fleet.start_hammer(hammer.handler, hammer.args, hammer.times, CALL_SECONDS)
        self.log.append(
            _(
                "platform.race.hammer",
                processes=len(hammer.args),
                times=hammer.times,
                handler=hammer.handler,
            )
        )
        results = []
        for index, args in enumerate(hammer.args):
            call = Call(hammer.handler, args, index)
            reply = failed.get(index) or self.wait(call, CALL_SECONDS * 2)
            if reply.error:
                self.done(call, reply)
                raise Stop(self.error_result(call, reply))
            results.append(reply.value)
        found = hammer.audit(results, self)
        if found is not None:
            raise Stop(found)


# == the engine ==============================================================================
def race_check(exercise, part: str, app: Path, *, seed: int, level: str, redis) -> Result:
    """The race engine for one seed of a part (``AppExercise(engine=race_check)``): the
    part's plan replayed on a fleet of ``plan.workers`` processes, kept for the plan."""
    plan = exercise.plans[part](seed)
    app = Path(app)
    base = {"exercise": exercise.label, "seed": seed, "level": level}
    if not app.exists():
        return Result(
            NOT_ATTEMPTED,
            NOT_WRITTEN,
            summary=_("reason.not_written", app=app.name),
            next_step=_("next.not_written"),
            **base,
        )
    redis.flush()
    header = _("platform.race.header", processes=plan.workers, seed=seed)
    replay = fleet = None
    try:
        with Deadline(START_SECONDS, "start"):
            fleet = Fleet(app, processes=plan.workers, redis_url=redis.url)
        replay = Replay(fleet, redis, model=exercise.model, diagnose=exercise.diagnose, base=base)
        replay.log.append(header)
        for step in plan.steps:
            replay.run(step)
        if redis.admin.dbsize() == 0:
            return Result(
                INCORRECT,
                NOT_USING_REDIS_URL,
                summary=_("reason.not_using_redis_url"),
                next_step=_("next.not_using_redis_url"),
                **base,
            )
    except Stop as stop:
        return stop.result
    except AppCrashed as crash:
        return crash_result(crash.args[0], header, base)
    except (Hang, Hung) as hang:
        if isinstance(hang, Hung):
            what, seconds = _("platform.starting_app"), START_SECONDS
        else:
            what, seconds = _("platform.race.a_request"), CALL_SECONDS
        return Result(
            INCORRECT,
            TIMEOUT,
            summary=_("reason.timeout", what=what, seconds=seconds),
            platform=replay.log[-8:] if replay else [header],
            next_step=_("next.timeout"),
            **base,
        )
    finally:
        if fleet is not None:
            fleet.close()
    return Result(CORRECT, CORRECT, summary=_("04-atomicity.summary.correct"), **base)
