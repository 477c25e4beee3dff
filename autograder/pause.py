"""Pause an app process in the middle of a request, right after a Redis command.

A race between two processes is a matter of timing: process A reads a value, process B
changes it, A writes back what it computed from the stale read. Real concurrency shows
it only sometimes. To show it *every* time, the platform can stop A just after a chosen
Redis command has answered, let other processes run whole requests, then let A go on.

How: every redis-py command in an app process ends in a hook (installed in the child,
see :mod:`autograder.child`). When A's hook sees the command it waits for, A tells the
parent ``("paused", commands)`` and blocks reading its pipe until the parent says
``resume`` (or ``abandon``, when A is stopped meanwhile). A is a real process with its
own connection to Redis, so Redis really sees A:GET, B:GET, B:SET, A:SET: the lost update
happens in the server, not in a model. While A waits, the parent may even send A other
requests: A serves them on top of the paused one, as a second thread would.

If A holds a lock that B waits for (a SET NX lock in Redis), B spins until its deadline,
and the parent then ends B with a timeout: a demo shows that too.
"""

from __future__ import annotations

from dataclasses import dataclass

# What a Redis command does to the data, for the typed pause points below. A command in
# neither set changes data (SET, HINCRBY, DECRBY, EVALSHA, ...): a write.
READS = frozenset(
    "GET MGET STRLEN EXISTS TYPE HGET HMGET HGETALL HEXISTS HLEN HKEYS HVALS LLEN LRANGE "
    "LINDEX SMEMBERS SCARD SISMEMBER ZSCORE ZCARD ZRANGE KEYS SCAN TTL PTTL".split()
)
NEUTRAL = frozenset("WATCH UNWATCH PING ECHO SELECT SCRIPT CLIENT INFO".split())
READ, WRITE, OTHER = "read", "write", "neither"


def command_kind(name: str) -> str:
    """READ, WRITE or OTHER (neither reads nor changes the data: WATCH, PING, ...)."""
    name = name.upper()
    return READ if name in READS else OTHER if name in NEUTRAL else WRITE


def pipeline_command(stack: list[str], transaction: bool) -> tuple[str, str, str] | None:
    """How a pipeline counts, as one command: (name, description, kind). A transaction
    is one write (``EXEC``, described with its commands); a plain pipeline of reads only
    is one read ("GET (pipeline)"), any other one write (``PIPELINE``); an empty one
    (None) sent nothing."""
    if transaction:  # described with what it committed: "EXEC [LREM HDEL]"
        return "EXEC", f"EXEC [{' '.join(stack)}]" if stack else "EXEC", WRITE
    if not stack:
        return None
    if all(command_kind(name) == READ for name in stack):
        return "PIPELINE", "GET (pipeline)", READ
    return "PIPELINE", "PIPELINE", WRITE


@dataclass(frozen=True)
class NthCommand:
    """A typed ``pause_after``: right after the ``n``-th command of one kind in a request."""

    n: int = 1
    kind = WRITE


@dataclass(frozen=True)
class NthRead(NthCommand):
    """Pause right after the ``n``-th reply to a command that only reads (GET, HGETALL, a
    pipeline of reads): the moment a read-modify-write has read and not yet written."""

    kind = READ


@dataclass(frozen=True)
class NthWrite(NthCommand):
    """Pause right after the ``n``-th command that changes data (SET, DECRBY, an EXEC, a
    script): the moment one write of several has happened and the others have not."""

    kind = WRITE


def only_reads(sent: list[str]) -> bool:
    """Did the commands described in ``sent`` ("GET stock", "EXEC", ...) only read?"""
    return all(command_kind(text.split(" ", 1)[0]) != WRITE for text in sent)


def reached(pause_after, commands: list[tuple[str, str, str]]) -> bool:
    """Has a request whose last command is ``commands[-1]`` ((name, description, kind))
    just met its ``pause_after``: a count of commands, a name or names, or a
    :class:`NthRead` / :class:`NthWrite`?"""
    name, _text, kind = commands[-1]
    if isinstance(pause_after, NthCommand):
        return kind == pause_after.kind and (
            sum(1 for c in commands if c[2] == kind) == pause_after.n
        )
    if isinstance(pause_after, int):
        return len(commands) == pause_after
    names = (pause_after,) if isinstance(pause_after, str) else tuple(pause_after)
    return name in {n.upper() for n in names}


class PausedRequest:
    """A request started by :meth:`Cluster.begin`: maybe stopped after a Redis command.

    ``is_paused`` says whether it stopped (False: it finished without meeting the
    command); ``commands`` lists the Redis commands it sent so far (their names),
    ``sent`` the same with their keys ("GET stock"); :meth:`finish` lets it run to the
    end and returns the :class:`~autograder.process.Served` record.
    """

    def __init__(self, process, pause_after, *, request, deadline, timed_out, settle):
        self.process = process
        self.seq, self.handler, self.args, self.user = request
        self.pause_after = pause_after
        self.commands: list[str] = []
        self.sent: list[str] = []
        self.is_paused = False
        self.was_paused = False  # it stopped at the command at least once
        self.commands_at_pause: list[str] = []
        self.served = None
        self._deadline = deadline  # a callable giving a fresh deadline context
        self._timed_out = timed_out  # builds the Served of a request that hung
        self._settle = settle  # the cluster logs the request when it ends
        self._done = False

    def start(self, served) -> PausedRequest:
        """Send the request (``served`` is its empty record) and wait for the pause."""
        self._blank = served
        self.process.send_request(("call", self.handler, dict(self.args), self.pause_after))
        self._wait()
        return self

    def finish(self):
        """Let the request run to its end; returns what the user got (a Served)."""
        if self.is_paused:
            self.process.send_request(("resume",))
            self._wait()
        return self.served

    def _wait(self) -> None:
        from .deadline import Hung

        try:
            with self._deadline():
                reply = self.process.next_reply()
        except Hung:
            self.served = self._timed_out()
            self._end()
            return
        if reply[0] == "paused":
            self.is_paused = self.was_paused = True
            self.commands = self.commands_at_pause = list(reply[1])
            self.sent = list(reply[2])
            return
        if reply[0] == "done":
            self.commands, self.sent = list(reply[5]), list(reply[6])
        self.served = self.process.complete(self._blank, reply)
        self._end()

    def _end(self) -> None:
        self.is_paused = False
        if not self._done:
            self._done = True
            self._settle(self)

    def abandon(self) -> None:
        """Unwind a request that will never be finished (its process is going away)."""
        if self.is_paused and self.process.alive:
            self.process.send_request(("abandon",))
            self.process.next_reply(timeout=2.0)  # "abandoned", or the process is gone
        self.is_paused = False
        self._done = True

    def __repr__(self) -> str:
        state = "paused" if self.is_paused else ("finished" if self.served else "running")
        return f"<PausedRequest on pid {self.process.pid}: {state} after {self.commands}>"
