"""Pause a simulated process in the middle of a request, right after a Redis command.

A race between two processes is a matter of timing: process A reads a value, process B
changes it, A writes back what it computed from the stale read. Real concurrency shows
it only sometimes. To show it *every* time, the platform can stop A just after a chosen
Redis command has answered, let other processes run whole requests, then let A go on.

How: A's request runs in a greenlet (a paused call stack on the same thread). Every
redis-py command ends in a hook; when A's hook sees the command it waits for, it
switches A's world out (as at the end of a request), hands control back to the caller,
and switches the world in again when resumed. Everything stays on one thread, so the
per-request deadline (SIGALRM) still interrupts an app that hangs before its pause.

Each simulated process has its own redis-py client and connection, so Redis really sees
A:GET, B:GET, B:SET, A:SET: the lost update happens in the server, not in a model.

The limit of one thread: while A is paused nothing of A runs, so if A holds a lock that B
waits for (a SET NX lock in Redis), B spins until its deadline. That is fine for a demo
of a race; notebook 04's checks run the app in real OS processes instead (see
``exercises/nb04_atomicity.py``), where a paused lock holder can be let go first.
"""

from __future__ import annotations

import functools

from greenlet import GreenletExit, getcurrent, greenlet
from redis.client import Pipeline, Redis

from .deadline import Hung

_hooks: dict = {}  # greenlet -> the hook of the paused request running in it
_installed = False


def _after(name_of):
    def wrap(original):
        @functools.wraps(original)
        def command(self, *args, **kwargs):
            try:
                return original(self, *args, **kwargs)
            finally:
                hook = _hooks.get(getcurrent())
                if hook is not None:
                    hook(name_of(self, args))

        return command

    return wrap


def install() -> None:
    """Put the after-command hook on redis-py (once; inert outside a paused request)."""
    global _installed
    if _installed:
        return
    Redis.execute_command = _after(lambda self, args: str(args[0]).upper())(Redis.execute_command)
    Pipeline.immediate_execute_command = _after(lambda self, args: str(args[0]).upper())(
        Pipeline.immediate_execute_command
    )
    Pipeline.execute = _after(lambda self, args: "EXEC" if self.transaction else "PIPELINE")(
        Pipeline.execute
    )
    _installed = True


def _matches(pause_after, name: str, count: int) -> bool:
    if isinstance(pause_after, int):
        return count == pause_after
    names = (pause_after,) if isinstance(pause_after, str) else tuple(pause_after)
    return name in {n.upper() for n in names}


class PausedRequest:
    """A request started by :meth:`Cluster.begin`: maybe stopped after a Redis command.

    ``is_paused`` says whether it stopped (False: it finished without meeting the
    command); ``commands`` lists the Redis commands it sent so far; :meth:`finish` lets
    it run to the end and returns the :class:`~autograder.process.Served` record.
    """

    def __init__(self, process, pause_after, *, request, deadline, timed_out, settle):
        install()
        self.process = process
        self.seq, self.handler, self.args, self.user = request
        self.pause_after = pause_after
        self.commands: list[str] = []
        self.is_paused = False
        self.was_paused = False  # it stopped at the command at least once
        self.commands_at_pause: list[str] = []
        self.served = None
        self._deadline = deadline  # a callable giving a fresh deadline context
        self._timed_out = timed_out  # builds the Served of a request that hung
        self._settle = settle  # the cluster logs the request when it ends
        self._armed = True
        self._greenlet = greenlet(self._main)

    def _main(self, run):
        _hooks[getcurrent()] = self._hook
        try:
            self.served = run()
        finally:
            _hooks.pop(getcurrent(), None)

    def _hook(self, name: str) -> None:
        self.commands.append(name)
        if not (self._armed and _matches(self.pause_after, name, len(self.commands))):
            return
        self._armed = False
        self.was_paused = True
        self.commands_at_pause = list(self.commands)
        world = self.process.world
        world.__exit__(None, None, None)  # as at the end of a request: nothing leaks out
        try:
            self._greenlet.parent.switch()
        finally:
            world.__enter__()

    def start(self, run) -> PausedRequest:
        self._resume(run)
        return self

    def finish(self):
        """Let the request run to its end; returns what the user got (a Served)."""
        if not self._greenlet.dead:
            self._resume()
        return self.served

    def _resume(self, *args) -> None:
        try:
            with self._deadline():
                self._greenlet.switch(*args)
        except Hung:
            self.served = self._timed_out()
        # Still alive means it stopped at the command; otherwise it has ended.
        self.is_paused = not self._greenlet.dead
        if not self.is_paused:
            self._settle(self)

    def abandon(self) -> None:
        """Unwind a request that will never be finished (its process is going away)."""
        if not self._greenlet.dead:
            try:
                self._greenlet.throw(GreenletExit)
            except GreenletExit:
                pass

    def __repr__(self) -> str:
        state = "paused" if self.is_paused else ("finished" if self.served else "running")
        return f"<PausedRequest on pid {self.process.pid}: {state} after {self.commands}>"
