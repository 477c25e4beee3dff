"""08-workers: a web process that enqueues, a worker process that loses nothing when killed.

The learner's app file declares two process types (the Procfile below): ``web`` runs
``place_order(order_id, user, amount)``, which stores the order and enqueues a job;
``worker`` runs ``work_one()``, which takes one job, charges the order (the job's effect)
and acknowledges it. The checks run them as real processes of the platform
(:mod:`autograder.formation`). The effect is read by the checker itself, from Redis: a
user's balance is the integer at ``balance:<user>`` (the notebook's spec), so no handler of
the app can answer for work that was never done; ``dead_letters()`` is asked of a web
process.

The crash checks are exhaustive: the check first runs a job whole to learn its Redis
commands, then, for every k, replays the job stream and kills the worker right after
the k-th command of that job; a fresh worker takes over once the app's visibility
timeout (``VISIBILITY_TIMEOUT`` in its environment) has passed. The web process is
killed the same way after each of its commands, and the client sends the request again,
as a client that got no answer does. Every run must end with every order charged exactly
once. Each user has one order in a stream, so a user's total names the order that went
wrong.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path

from ..deadline import Deadline, Hung
from ..errors import AppCrashed
from ..feedback import crash_result, error_result
from ..fleet import Hang
from ..formation import Formation, parse_procfile
from ..messages import _
from ..problem import AppExercise
from ..process import Served
from ..registry import bind_exercises
from ..result import CORRECT, INCORRECT, NOT_ATTEMPTED, Result
from ..scenario import NOT_WRITTEN, TIMEOUT

VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2,)  # one: every crash point of a job is tried anyway, and each costs

PROCFILE_TEXT = "web: place_order\nworker: work_one\n"
PROCFILE = parse_procfile(PROCFILE_TEXT)
MAX_TRIES = 3  # a job that fails this many times goes to the dead-letter list
TAKEOVER_SECONDS = 0.15  # the VISIBILITY_TIMEOUT the crash checks give the app (one
# worker at a time there, so a short one steals no live job; each crash point waits it out)
PATIENT = "30"  # a timeout no check waits for: what must happen without it
GRACEFUL_TIMEOUT = 1.0  # longer than a restart takes: a job handed back is not waited for
CALL_SECONDS = 2.5
START_SECONDS = 5.0

# Reason codes of this notebook (messages: reason.<code> and next.<code> in nb08.py).
LOST_JOB = "lost_job"
NOT_TAKEN_OVER = "not_taken_over"
CHARGED_TWICE = "charged_twice"
SAME_JOB_TWICE = "same_job_twice"
POISON_LOOPS = "poison_loops"
NOT_DEAD_LETTERED = "not_dead_lettered"
NOT_HANDED_BACK = "not_handed_back"
WORK_INLINE = "work_inline"
BALANCE = "balance:"  # balance:<user>, an integer: what the user has been charged
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
    def __init__(self, result: Result):
        self.result = result


class Check:
    """One part's run on a formation: requests, crashes and the audit, with a log."""

    def __init__(self, formation: Formation, redis, base: dict):
        self.formation = formation
        self.redis = redis
        self.base = base
        self.log: list[str] = []
        self.seq = 0

    def who(self, kind: str, index: int) -> str:
        return _(
            "08-workers.platform.who",
            name=self.formation.name(kind, index),
            pid=self.formation.pid(kind, index),
        )

    def fresh(self, orders: list[Order]) -> None:
        """Redis emptied, then the orders placed one by one through web.1; no balance
        may change before a worker runs (the web process only enqueues)."""
        self.redis.flush()
        self.log.append(_("08-workers.platform.fresh", count=len(orders)))
        for order in orders:
            self.call("web", 0, order.args)
        for order in orders:
            got = self.balance(order.user)
            if got != 0:
                raise Stop(self.incorrect(WORK_INLINE, user=order.user, got=repr(got)))

    def balance(self, user: str):
        """``balance:<user>`` as the checker reads it (an int, or what else is there)."""
        value = self.redis.admin.get(f"{BALANCE}{user}")
        try:
            return int(value or 0)
        except ValueError:
            return value

    def call(self, kind: str, index: int, args=None, *, handler=None, pause_after=None):
        """One call, whole; an exception in the app stops the check with its error."""
        handler = handler or PROCFILE[kind]
        who = self.who(kind, index)
        self.seq += 1
        if pause_after is None:
            reply = self.formation.run(kind, index, args, handler=handler, seconds=CALL_SECONDS)
        else:
            self.formation.send(kind, index, args, handler=handler, pause_after=pause_after)
            reply = self.formation.reply(kind, index, CALL_SECONDS)
        if reply.event == "paused":
            return reply
        if reply.error:
            pid = self.formation.pid(kind, index)
            served = Served(self.seq, handler, dict(args or {}), pid, index, error=reply.error)
            self.log.append(_("08-workers.platform.error", who=who, handler=handler))
            raise Stop(error_result(served, self.log[-12:], self.base))
        if handler == PROCFILE["worker"]:
            self.log.append(_("08-workers.platform.worked", who=who, value=repr(reply.value)))
        return reply

    def commands(self, kind: str, args=None) -> list[str]:
        """The Redis commands of one whole call of the type's handler (on process 1)."""
        return self.call(kind, 0, args, pause_after=10**6).commands

    def crash(
        self,
        kind: str,
        index: int,
        k: int,
        commands: list[str],
        args=None,
        *,
        graceful: bool = False,
    ):
        who = self.who(kind, index)
        reply = self.formation.crash_after(kind, index, k, args, graceful=graceful)
        if reply.event != "paused":  # this time the call sent fewer commands: it finished
            return reply
        key = "08-workers.platform.stopped" if graceful else "08-workers.platform.killed"
        last = reply.commands[-1] if reply.commands else "?"
        self.log.append(_(key, who=who, k=k, n=len(commands), command=last))
        return reply

    def drain(self, index: int = 0, *, limit: int = 12, fresh_each: bool = False) -> list:
        """``work_one()`` until it says there is nothing to do (None); a queue that never
        empties stops the check."""
        done = []
        for _unused in range(limit):
            if fresh_each:
                self.formation.restart("worker", index, graceful=True)
            value = self.call("worker", index).value
            if value is None:
                return done
            done.append(value)
        self.log.append(_("08-workers.platform.never_empty", calls=limit))
        raise Stop(self.incorrect(POISON_LOOPS, calls=limit, seen=repr(done[-4:])))

    def audit(self, orders: list[Order], *, short=NOT_TAKEN_OVER, dead=()) -> None:
        """Every order charged exactly once (``balance:<user>``), the poison ones dead."""
        for order in orders:
            if order.order_id in dead:
                continue
            got = self.balance(order.user)
            if type(got) is int and got == order.amount:
                continue
            if type(got) is int and got > order.amount:
                reason = CHARGED_TWICE
            elif self.still_queued(order.order_id):
                reason = short  # its job still waits in a list nobody takes it from
            else:
                reason = LOST_JOB
            raise Stop(
                self.incorrect(
                    reason,
                    order=order.order_id,
                    user=order.user,
                    amount=order.amount,
                    got=repr(got),
                )
            )
        got = self.call("web", 0, handler="dead_letters").value
        if not isinstance(got, list | tuple) or sorted(map(str, got)) != sorted(dead):
            raise Stop(self.incorrect(NOT_DEAD_LETTERED, got=repr(got), expected=sorted(dead)))

    def still_queued(self, order_id: str) -> bool:
        """Is the order's id still in a Redis list or stream (a job nobody finished)?"""
        admin = self.redis.admin
        for key in admin.scan_iter(count=500):
            kind = admin.type(key)
            if kind == "list" and order_id in admin.lrange(key, 0, -1):
                return True
            if kind == "stream" and order_id in str(admin.xrange(key)):
                return True
        return False

    def incorrect(self, reason: str, **values) -> Result:
        return Result(
            INCORRECT,
            reason,
            summary=_(f"reason.{reason}", **values),
            platform=self.log[-12:],
            next_step=_(f"next.{reason}"),
            **self.base,
        )


# == the parts =================================================================================
def _crashed_job(seed: int) -> int:
    """Which job of the stream is crashed: the first visibly, a later one hidden (a
    worker that only copes when nothing came before must not pass)."""
    return 0 if seed in VISIBLE_SEEDS else 1 + seed % 2


def survives_crashes(check: Check, seed: int) -> int:
    orders = stream(seed)
    job = _crashed_job(seed)
    check.fresh(orders)
    for _unused in range(job):
        check.call("worker", 0)
    commands = check.commands("worker")
    points = 0
    for k in range(1, len(commands) + 1):
        orders = stream(seed, round=k)
        check.fresh(orders)
        for _unused in range(job):
            check.call("worker", 0)
        if check.crash("worker", 0, k, commands).event == "paused":
            points += 1
            time.sleep(TAKEOVER_SECONDS + 0.1)  # the dead worker's job is now abandoned
        check.drain()
        if any(check.still_queued(o.order_id) for o in orders):
            # A worker may start the clock of a job it finds untimed (its worker died
            # before noting the time): such a job is abandoned one timeout later.
            check.log.append(_("08-workers.platform.waits_again"))
            time.sleep(TAKEOVER_SECONDS + 0.1)
            check.drain()
        check.audit(orders)
    # The web process dies after a command of place_order, before its answer: the client
    # got no answer, and sends the same order again.
    check.redis.flush()
    web_commands = check.commands("web", orders[0].args)
    for k in range(1, len(web_commands) + 1):
        orders = stream(seed, round=50 + k)
        first = orders[0]
        check.redis.flush()
        check.log.append(_("08-workers.platform.fresh", count=0))
        if check.crash("web", 0, k, web_commands, first.args).event == "paused":
            points += 1
        check.log.append(_("08-workers.platform.client_retries", order=first.order_id))
        for order in orders:
            check.call("web", 0, order.args)
        check.drain()
        check.audit(orders)
    return points


def several_workers(check: Check, seed: int) -> int:
    orders = stream(seed, 4)
    check.fresh(orders)
    commands = check.commands("worker")
    points = 0
    for k in range(1, len(commands) + 1):
        orders = stream(seed, 4, round=k)
        check.fresh(orders)
        done = []
        reply = check.call("worker", 0, pause_after=k)
        if reply.event == "paused":
            points += 1
            check.log.append(
                _(
                    "08-workers.platform.paused",
                    who=check.who("worker", 0),
                    k=k,
                    command=reply.commands[-1],
                )
            )
            done.append(check.call("worker", 1).value)
            check.formation.resume("worker", 0)
            reply = check.formation.reply("worker", 0, CALL_SECONDS)
            if reply.error:
                served = Served(check.seq, "work_one", {}, check.formation.pid("worker", 0), 0)
                served.error = reply.error
                raise Stop(error_result(served, check.log[-12:], check.base))
        done.append(reply.value)
        for turn in range(6):
            value = check.call("worker", turn % 2).value
            if value is not None:
                done.append(value)
        for order in orders:
            times = done.count(order.order_id)
            if times > 1:
                raise Stop(check.incorrect(SAME_JOB_TWICE, order=order.order_id, times=times))
        check.audit(orders)
    return points


def poison_job(check: Check, seed: int) -> int:
    orders = stream(seed, 3, poison_at=1 if seed in VISIBLE_SEEDS else seed % 3)
    poison = next(o for o in orders if o.amount == "free")
    check.fresh(orders)
    check.log.append(_("08-workers.platform.each_try_fresh"))
    done = check.drain(limit=len(orders) + 2 * MAX_TRIES, fresh_each=True)
    check.audit(orders, dead=[poison.order_id])
    tries = done.count(poison.order_id)
    if tries != MAX_TRIES:  # each work_one() is one try of one job
        raise Stop(check.incorrect(WRONG_TRIES, order=poison.order_id, tries=tries))
    return tries


def graceful_restart(check: Check, seed: int) -> int:
    orders = stream(seed)
    check.fresh(orders)
    commands = check.commands("worker")
    points = 0
    for k in range(1, len(commands) + 1):
        orders = stream(seed, round=k)
        check.fresh(orders)
        reply = check.crash("worker", 0, k, commands, graceful=True)
        if reply.event == "paused":
            points += 1
        check.drain()  # at once: a job handed back needs no timeout
        if reply.event == "paused" and _is_take(reply.commands[-1]):
            # Stopped as the take answered, before the app could see which job it got:
            # that job is found again by the timeout, as in production.
            check.log.append(_("08-workers.platform.waits_again"))
            time.sleep(GRACEFUL_TIMEOUT + 0.1)
            check.drain()
        check.audit(orders, short=NOT_HANDED_BACK)
    return points


# Commands that take a job off a queue: a stop right after one comes before the app has
# the job's id in hand.
TAKES = frozenset(
    "LMOVE BLMOVE RPOPLPUSH BRPOPLPUSH RPOP LPOP BRPOP BLPOP XREADGROUP XAUTOCLAIM "
    "XCLAIM EVALSHA EVAL".split()
)


def _is_take(sent: str) -> bool:
    return sent.split(" ", 1)[0].upper() in TAKES


PARTS = {
    "survives_crashes": (survives_crashes, {"web": 1, "worker": 1}, str(TAKEOVER_SECONDS)),
    "several_workers": (several_workers, {"web": 1, "worker": 2}, PATIENT),
    "poison_job": (poison_job, {"web": 1, "worker": 1}, PATIENT),
    "graceful_restart": (graceful_restart, {"web": 1, "worker": 1}, str(GRACEFUL_TIMEOUT)),
}


def worker_check(exercise, part: str, app: Path, *, seed: int, level: str, redis) -> Result:
    """The crash engine for one seed of a part (``AppExercise(engine=worker_check)``)."""
    run, scale, timeout = PARTS[part]
    base = {"exercise": exercise.label, "seed": seed, "level": level}
    app = Path(app)
    if not app.exists():
        return Result(
            NOT_ATTEMPTED,
            NOT_WRITTEN,
            summary=_("reason.not_written", app=app.name),
            next_step=_("next.not_written"),
            **base,
        )
    redis.flush()
    header = _("08-workers.platform.header", scale=_scale_text(scale), seed=seed)
    formation = check = None
    try:
        with Deadline(START_SECONDS, "start"):
            formation = Formation(
                app,
                PROCFILE,
                scale=scale,
                redis_url=redis.url,
                env={"VISIBILITY_TIMEOUT": timeout, "MAX_TRIES": str(MAX_TRIES)},
            )
        check = Check(formation, redis, base)
        check.log.append(header)
        points = run(check, seed)
    except Stop as stop:
        return stop.result
    except AppCrashed as crash:
        return crash_result(crash.args[0], header, base)
    except (Hang, Hung) as hang:
        what = (
            _("platform.starting_app")
            if isinstance(hang, Hung)
            else _("08-workers.platform.a_call")
        )
        return Result(
            INCORRECT,
            TIMEOUT,
            summary=_("reason.timeout", what=what, seconds=CALL_SECONDS),
            platform=check.log[-8:] if check else [header],
            next_step=_("next.timeout"),
            **base,
        )
    finally:
        if formation is not None:
            formation.close()
    return Result(CORRECT, CORRECT, summary=_(f"08-workers.summary.{part}", points=points), **base)


def _scale_text(scale: dict) -> str:
    return ", ".join(f"{kind}={count}" for kind, count in scale.items())


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
