"""The other parts of 08: several workers at once, a poison job, graceful restarts; and
the table of parts (what each runs, on which formation, with which visibility timeout)."""

from __future__ import annotations

import time

from ...messages import _
from .check import Check
from .common import (
    CALL_SECONDS,
    GRACEFUL_TIMEOUT,
    MAX_TRIES,
    NOT_HANDED_BACK,
    PATIENT,
    SAME_JOB_TWICE,
    TAKEOVER_SECONDS,
    VISIBLE_SEEDS,
    WRONG_TRIES,
    Stop,
    stream,
)
from .crashes import survives_crashes


def several_workers(check: Check, seed: int) -> dict:
    """worker.1 pauses right after each command of a job in turn while worker.2 takes a
    job: no job may be worked on by both."""
    check.fresh(stream(seed, 4))
    commands = check.commands("worker")
    points = 0
    for k in range(1, len(commands) + 1):
        orders = stream(seed, 4, round=k)
        check.fresh(orders)
        done = []
        reply = check.call("worker", 0, pause_after=k)
        if reply.event == "paused":
            points += 1
            reply = overtaken(check, k, reply, done)
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
    return {"points": points}


def overtaken(check: Check, k: int, paused, done: list):
    """worker.2 does a whole job while worker.1 waits after its k-th command; then
    worker.1 goes on. Returns worker.1's reply."""
    who = check.who("worker", 0)
    check.log.append(_("08-workers.platform.paused", who=who, k=k, command=paused.commands[-1]))
    done.append(check.call("worker", 1).value)
    check.formation.resume("worker", 0)
    reply = check.formation.reply("worker", 0, CALL_SECONDS)
    if reply.error:
        check.fail_with_error("worker", 0, {}, reply.error)
    return reply


def poison_job(check: Check, seed: int) -> dict:
    """An order whose work always raises, each try on a fresh worker: exactly MAX_TRIES
    tries, then the dead-letter list; the other orders charged once."""
    orders = stream(seed, 3, poison_at=1 if seed in VISIBLE_SEEDS else seed % 3)
    poison = next(o for o in orders if o.amount == "free")
    check.fresh(orders)
    check.log.append(_("08-workers.platform.each_try_fresh"))
    done = check.drain(limit=len(orders) + 2 * MAX_TRIES, fresh_each=True)
    check.audit(orders, dead=[poison.order_id])
    tries = done.count(poison.order_id)
    if tries != MAX_TRIES:  # each work_one() is one try of one job
        raise Stop(check.incorrect(WRONG_TRIES, order=poison.order_id, tries=tries))
    return {"points": tries}


def graceful_restart(check: Check, seed: int) -> dict:
    """The worker stopped gracefully (on_shutdown) right after each command of a job: a
    fresh worker finishes everything at once, without waiting for a timeout."""
    check.fresh(stream(seed))
    commands = check.commands("worker")
    points = 0
    for k in range(1, len(commands) + 1):
        orders = stream(seed, round=k)
        check.fresh(orders)
        reply = check.crash("worker", 0, k, commands, graceful=True, what="stopped")
        if reply.event == "paused":
            points += 1
        check.drain()  # at once: a job handed back needs no timeout
        if reply.event == "paused" and is_take(reply.commands[-1]):
            # Stopped as the take answered, before the app could see which job it got:
            # that job is found again by the timeout, as in production.
            check.log.append(_("08-workers.platform.waits_again"))
            time.sleep(GRACEFUL_TIMEOUT + 0.1)
            check.drain()
        check.audit(orders, short=NOT_HANDED_BACK)
    return {"points": points}


# Commands that take a job off a queue: a stop right after one comes before the app has
# the job's id in hand.
TAKES = frozenset(
    "LMOVE BLMOVE RPOPLPUSH BRPOPLPUSH RPOP LPOP BRPOP BLPOP XREADGROUP XAUTOCLAIM "
    "XCLAIM EVALSHA EVAL".split()
)


def is_take(sent: str) -> bool:
    return sent.split(" ", 1)[0].upper() in TAKES


# part -> (what it runs, the formation's scale, the app's VISIBILITY_TIMEOUT)
PARTS = {
    "survives_crashes": (survives_crashes, {"web": 1, "worker": 1}, str(TAKEOVER_SECONDS)),
    "several_workers": (several_workers, {"web": 1, "worker": 2}, PATIENT),
    "poison_job": (poison_job, {"web": 1, "worker": 1}, PATIENT),
    "graceful_restart": (graceful_restart, {"web": 1, "worker": 1}, str(GRACEFUL_TIMEOUT)),
}
