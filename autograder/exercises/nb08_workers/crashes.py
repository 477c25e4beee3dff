"""survives_crashes: the worker killed at every command of a job, the worker that takes
the job over killed at every command of its takeover, the web process killed at every
command of a request.

Each crash point is learned, not guessed: the check first runs the call whole and counts
its Redis commands, then kills the process right after the k-th, for every k.
"""

from __future__ import annotations

import time

from ...messages import _
from .check import Check
from .common import (
    ACKED_BEFORE_WORK,
    LOST_IN_TAKEOVER,
    LOST_JOB,
    TAKEOVER_WAIT,
    VISIBLE_SEEDS,
    stream,
)

# How a job is taken into a processing list or a consumer group, and acknowledged.
MOVES = {"LMOVE", "BLMOVE", "RPOPLPUSH", "BRPOPLPUSH", "XREADGROUP", "XAUTOCLAIM", "XCLAIM"}
ACKS = {"LREM", "XACK", "XDEL"}
TAKEOVER_ROUND = 100  # round numbers (order ids) of the takeover crash points
WEB_ROUND = 50


def crashed_job(seed: int) -> int:
    """Which job of the stream is crashed: the first visibly, a later one hidden (a
    worker that only copes when nothing came before must not pass)."""
    return 0 if seed in VISIBLE_SEEDS else 1 + seed % 2


def survives_crashes(check: Check, seed: int) -> dict:
    job = crashed_job(seed)
    check.fresh(stream(seed))
    check.work(job)
    commands = check.commands("worker")
    job_points, held = job_crashes(check, seed, job, commands)
    takeover_points = takeover_crashes(check, seed, job, commands, held)
    web_points = web_crashes(check, seed)
    return {
        "points": job_points + takeover_points + web_points,
        "job": job_points,
        "takeover": takeover_points,
        "web": web_points,
    }


def job_crashes(check: Check, seed: int, job: int, commands: list[str]) -> tuple[int, int]:
    """Kill the worker right after each command of the job; a fresh worker takes over
    once the dead one's job is abandoned. Returns the points tried and the last point
    after which the job's order was still uncharged: the worker died holding the job,
    before its effect (0 when there is none)."""
    points = held = 0
    for k in range(1, len(commands) + 1):
        orders = stream(seed, round=k)
        check.fresh(orders)
        check.work(job)
        if check.crash("worker", 0, k, commands).event == "paused":
            points += 1
            if check.balance(orders[job].user) == 0:
                held = k
            time.sleep(TAKEOVER_WAIT)  # the dead worker's job is now abandoned
        check.settle(orders, lost=lost_reason(commands[:k]))
    return points, held


def lost_reason(sent: list[str]) -> str:
    """Why a job the dead worker had sent ``sent`` for is gone, for the feedback only
    (the score is the audit's): it was acknowledged (LREM, XACK) after it was taken into
    a processing list, so the acknowledgement came before the work; otherwise it was
    taken by removing it (RPOP, or LREM before it reached a processing list)."""
    names = [name for command in sent for name in _names(command)]
    moved = next((i for i, name in enumerate(names) if name in MOVES), None)
    if moved is not None and any(name in ACKS for name in names[moved + 1 :]):
        return ACKED_BEFORE_WORK
    return LOST_JOB


def takeover_crashes(check: Check, seed: int, job: int, commands: list[str], held: int) -> int:
    """A worker dies holding a job (at point ``held``, before the effect); once the job is
    abandoned, the fresh worker's next call takes it over. Run that call whole to learn
    its commands, then, for every k of the takeover's own commands, set Redis back to the
    abandoned moment, kill the worker doing the takeover right after its k-th command,
    and let another one finish. Every round must still charge every order exactly once."""
    if not held:
        return 0
    orders = stream(seed, round=TAKEOVER_ROUND)
    check.fresh(orders)
    check.work(job)
    check.crash("worker", 0, held, commands)
    time.sleep(TAKEOVER_WAIT)
    abandoned = check.save()
    takeover = check.commands("worker")
    check.settle(orders)
    points = 0
    for k in range(1, own_commands(takeover, commands) + 1):
        check.restore(abandoned)
        # A worker that never saw this round: the ids repeat, but no process knows them.
        check.formation.restart("worker", 0, graceful=False)
        check.log.append(_("08-workers.platform.restored", order=orders[job].order_id))
        reply = check.crash("worker", 0, k, takeover, what="killed_in_takeover")
        if reply.event == "paused":
            points += 1
        check.settle(orders, lost=LOST_IN_TAKEOVER)
    return points


def own_commands(takeover: list[str], plain: list[str]) -> int:
    """How many of the takeover call's commands are the takeover's own: the call goes on
    as a plain job's does (take, work, acknowledge), and the tail it shares with a plain
    job's commands, by name, is the job's crash points, tried already. At least one."""
    shared = 0
    for mine, theirs in zip(reversed(takeover), reversed(plain), strict=False):
        if _name(mine) != _name(theirs):
            break
        shared += 1
    return max(len(takeover) - shared, 1)


def _name(command: str) -> str:
    return command.split(" ", 1)[0].upper()


def _names(command: str) -> list[str]:
    """The command's name, or a transaction's commands ("EXEC [LREM HDEL]")."""
    if command.startswith("EXEC [") and command.endswith("]"):
        return command[len("EXEC [") : -1].split()
    return [_name(command)]


def web_crashes(check: Check, seed: int) -> int:
    """The web process dies after a command of place_order, before its answer: the
    client got no answer, and sends the same order again."""
    check.redis.flush()
    web_commands = check.commands("web", stream(seed)[0].args)
    points = 0
    for k in range(1, len(web_commands) + 1):
        orders = stream(seed, round=WEB_ROUND + k)
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
