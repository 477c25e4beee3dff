"""One part's run on a formation: calls, crashes, saved rounds and the audit, with a log."""

from __future__ import annotations

import time

import redis as redis_client

from ...feedback import error_result
from ...formation import Formation
from ...messages import _
from ...process import Served
from ...result import INCORRECT, Result
from .common import (
    BALANCE,
    CALL_SECONDS,
    CHARGED_TWICE,
    DEAD,
    LOST_JOB,
    NOT_DEAD_LETTERED,
    NOT_TAKEN_OVER,
    POISON_LOOPS,
    PROCFILE,
    TAKEOVER_WAIT,
    WORK_INLINE,
    Order,
    Stop,
)


class Check:
    """The checker's side of one part: it drives the formation's processes and reads
    Redis with its own clients, never through the app."""

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

    # -- rounds ------------------------------------------------------------------------
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

    def save(self) -> list[tuple[bytes, int, bytes]]:
        """Every key of Redis as DUMP gives it, with its time to live: a round's state to
        go back to (``restore``). Read with a client of its own that keeps bytes."""
        raw = redis_client.Redis.from_url(self.redis.url)
        try:
            keys = list(raw.scan_iter(count=500))
            with raw.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.pttl(key)
                    pipe.dump(key)
                answers = pipe.execute()
        finally:
            raw.close()
        ttls, values = answers[0::2], answers[1::2]
        return [
            (key, max(ttl, 0), value)  # PTTL -1: no expiry, which RESTORE spells 0
            for key, ttl, value in zip(keys, ttls, values, strict=True)
            if value is not None  # expired between SCAN and DUMP
        ]

    def restore(self, saved: list[tuple[bytes, int, bytes]]) -> None:
        """Redis exactly as ``save`` found it (the same keys, values and expiries)."""
        self.redis.flush()
        raw = redis_client.Redis.from_url(self.redis.url)
        try:
            with raw.pipeline(transaction=False) as pipe:
                for key, ttl, value in saved:
                    pipe.restore(key, ttl, value)
                pipe.execute()
        finally:
            raw.close()

    # -- calls -------------------------------------------------------------------------
    def call(self, kind: str, index: int, args=None, *, pause_after=None):
        """One call of the type's handler, whole (or up to a pause right after its
        ``pause_after``-th command); an error in the app stops the check."""
        who = self.who(kind, index)
        self.seq += 1
        self.formation.send(kind, index, args, pause_after=pause_after or 10**6)
        reply = self.formation.reply(kind, index, CALL_SECONDS)
        if reply.event == "paused":
            return reply
        if reply.error:
            self.fail_with_error(kind, index, args, reply.error)
        if kind == "worker":
            self.log.append(_("08-workers.platform.worked", who=who, value=repr(reply.value)))
        return reply

    def fail_with_error(self, kind: str, index: int, args, error: dict):
        handler = PROCFILE[kind]
        pid = self.formation.pid(kind, index)
        served = Served(self.seq, handler, dict(args or {}), pid, index, error=error)
        self.log.append(_("08-workers.platform.error", who=self.who(kind, index), handler=handler))
        raise Stop(error_result(served, self.log[-12:], self.base))

    def work(self, jobs: int) -> None:
        """``jobs`` whole calls of ``work_one()`` on worker.1."""
        for _unused in range(jobs):
            self.call("worker", 0)

    def commands(self, kind: str, args=None) -> list[str]:
        """The Redis commands of one whole call of the type's handler (on process 1), as
        every later call sends them (``cached_scripts``): the crash points of a call."""
        return cached_scripts(self.call(kind, 0, args).commands)

    def crash(
        self,
        kind: str,
        index: int,
        k: int,
        commands: list[str],
        args=None,
        *,
        graceful: bool = False,
        what: str = "killed",
    ):
        """End the process right after the call's ``k``-th command (``what`` names the
        log line: killed, stopped, killed_in_takeover); a fresh one takes its place."""
        who = self.who(kind, index)
        reply = self.formation.crash_after(kind, index, k, args, graceful=graceful)
        if reply.event != "paused":  # this time the call sent fewer commands: it finished
            return reply
        last = reply.commands[-1] if reply.commands else "?"
        self.log.append(
            _(f"08-workers.platform.{what}", who=who, k=k, n=len(commands), command=last)
        )
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

    def settle(self, orders: list[Order], *, lost: str = LOST_JOB) -> None:
        """After a crash: a fresh worker works until the queue is empty, then the audit.
        A worker may start the clock of a job it finds untimed (its worker died before
        noting the time): such a job is abandoned one timeout later, so a job still
        queued gets one more timeout and one more drain."""
        self.drain()
        if self.queued(orders):
            self.log.append(_("08-workers.platform.waits_again"))
            time.sleep(TAKEOVER_WAIT)
            self.drain()
        self.audit(orders, lost=lost)

    # -- the audit ---------------------------------------------------------------------
    def balance(self, user: str):
        """``balance:<user>`` as the checker reads it (an int, or what else is there)."""
        value = self.redis.admin.get(f"{BALANCE}{user}")
        try:
            return int(value or 0)
        except ValueError:
            return value

    def dead_letters(self):
        """The ids in the dead-letter list ``jobs:dead``, sorted; a key of another type
        is shown by its type."""
        admin = self.redis.admin
        kind = admin.type(DEAD)
        if kind == "none":
            return []
        if kind != "list":
            return f"<{kind}>"
        return sorted(admin.lrange(DEAD, 0, -1))

    def audit(self, orders, *, short=NOT_TAKEN_OVER, lost=LOST_JOB, dead=()) -> None:
        """Every order charged exactly once (``balance:<user>``), exactly the poison ones
        in the dead-letter list."""
        for order in orders:
            if order.order_id not in dead:
                self.audit_order(order, short=short, lost=lost)
        got = self.dead_letters()
        if got != sorted(dead):
            raise Stop(self.incorrect(NOT_DEAD_LETTERED, got=repr(got), expected=sorted(dead)))

    def audit_order(self, order: Order, *, short: str, lost: str) -> None:
        got = self.balance(order.user)
        if type(got) is int and got == order.amount:
            return
        if type(got) is int and got > order.amount:
            reason = CHARGED_TWICE
        elif self.queued([order]):
            reason = short  # its job still waits in a list nobody takes it from
        else:
            reason = lost
        values = {"order": order.order_id, "user": order.user, "amount": order.amount}
        raise Stop(self.incorrect(reason, **values, got=repr(got)))

    def queued(self, orders: list[Order]) -> list[Order]:
        """The orders whose id is still in a Redis list or stream (jobs nobody finished),
        read in two round trips however many keys there are."""
        admin = self.redis.admin
        keys = list(admin.scan_iter(count=500))
        with admin.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.type(key)
            kinds = pipe.execute()
        with admin.pipeline(transaction=False) as pipe:
            for key, kind in zip(keys, kinds, strict=True):
                if kind == "list":
                    pipe.lrange(key, 0, -1)
                elif kind == "stream":
                    pipe.xrange(key)
            contents = pipe.execute()
        items = {str(item) for content in contents for item in content}
        streams = " ".join(str(content) for content in contents)
        return [o for o in orders if o.order_id in items or o.order_id in streams]

    def incorrect(self, reason: str, **values) -> Result:
        return Result(
            INCORRECT,
            reason,
            summary=_(f"reason.{reason}", **values),
            platform=self.log[-12:],
            next_step=_(f"next.{reason}"),
            **self.base,
        )


def cached_scripts(sent: list[str]) -> list[str]:
    """``sent`` as it is once Redis knows the app's scripts. The first call of a script
    (``register_script``) sends EVALSHA, which fails (NOSCRIPT), then SCRIPT LOAD and the
    same EVALSHA again; Redis keeps scripts across FLUSHDB, so later calls send only the
    one EVALSHA, and their k-th command is the k-th of this list."""
    commands: list[str] = []
    for i, command in enumerate(sent):
        retried = 0 < i < len(sent) - 1 and sent[i - 1] == sent[i + 1]
        if command.upper().startswith("SCRIPT LOAD") and retried and commands:
            commands.pop()  # the EVALSHA that failed
            continue
        commands.append(command)
    return commands
