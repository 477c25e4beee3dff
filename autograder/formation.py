"""Process types: one app file, several kinds of process, each scaled on its own.

A Procfile names the types of an app and what each runs (``web: place_order``, ``worker:
work_one``): the factor's "process formation". Here every process of every type is a real
process of the platform (a one-process :class:`~autograder.fleet.Fleet`), all running the
same app file, and a type's processes are named as a platform names them: ``web.1``,
``worker.2``.

A crash point is "kill this process right after its k-th Redis command": the pause
machinery (:mod:`autograder.pause`) stops the request there, and instead of resuming it
the formation kills the process (no ``on_shutdown``: a crash) or stops it gracefully
(``on_shutdown`` runs while the job is still half done), then starts a fresh process of
the same type in its place, as a supervisor would.
"""

from __future__ import annotations

import re
from pathlib import Path

from .fleet import Fleet, Reply

_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*([A-Za-z_][A-Za-z0-9_]*)\s*$")
NEVER = 10**6  # a pause point no job reaches: the request runs whole, its commands counted


class ProcfileError(ValueError):
    """A Procfile line is not ``type: handler``."""


def parse_procfile(text: str) -> dict[str, str]:
    """``{"web": "place_order", "worker": "work_one"}`` from the Procfile's lines (blank
    lines and ``#`` comments skipped); a line of another shape, or a type named twice, is
    refused with the line it is on."""
    types: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise ProcfileError(f"Procfile line {number}: {raw!r} is not 'type: handler'")
        kind, handler = match.groups()
        if kind in types:
            raise ProcfileError(f"Procfile line {number}: the type {kind!r} is named twice")
        types[kind] = handler
    if not types:
        raise ProcfileError("the Procfile names no process type")
    return types


class Formation:
    """The processes of ``app``: ``scale[type]`` of each type the ``procfile`` names.

    ``env`` is what every process finds in its environment besides ``REDIS_URL``.
    """

    def __init__(
        self,
        app: Path,
        procfile: dict[str, str],
        *,
        scale: dict[str, int],
        redis_url: str,
        env: dict | None = None,
    ):
        unknown = set(scale) - set(procfile)
        if unknown:
            raise ProcfileError(f"no process type {sorted(unknown)} in the Procfile")
        self.app = Path(app)
        self.procfile = dict(procfile)
        self.env = {"REDIS_URL": redis_url, **(env or {})}
        self.processes: dict[str, list[Fleet]] = {kind: [] for kind in procfile}
        self._next_pid = 1001
        self.started = 0  # processes started so far, replacements included
        try:
            for kind, count in scale.items():
                self.scale(kind, count)
        except BaseException:
            self.close()
            raise

    def _start(self) -> Fleet:
        fleet = Fleet(self.app, processes=1, env=self.env, first_pid=self._next_pid)
        self._next_pid += 1
        self.started += 1
        return fleet

    def scale(self, kind: str, count: int) -> None:
        """Run ``count`` processes of type ``kind``: start new ones or kill the last ones."""
        running = self.processes[kind]
        while len(running) < count:
            running.append(self._start())
        while len(running) > count:
            running.pop().close()

    def name(self, kind: str, index: int) -> str:
        return f"{kind}.{index + 1}"

    def pid(self, kind: str, index: int) -> int:
        return self.processes[kind][index].pid(0)

    # -- running ---------------------------------------------------------------------------
    def send(
        self, kind: str, index: int, args: dict | None = None, *, handler=None, pause_after=None
    ):
        """Start the type's handler (or ``handler``) on process ``index`` of ``kind``."""
        fleet = self.processes[kind][index]
        fleet.send(0, handler or self.procfile[kind], args or {}, pause_after=pause_after)

    def reply(self, kind: str, index: int, seconds: float) -> Reply:
        return self.processes[kind][index].reply(0, seconds)

    def resume(self, kind: str, index: int) -> None:
        """Let the paused call of process ``index`` of ``kind`` go on."""
        self.processes[kind][index].resume(0)

    def run(
        self, kind: str, index: int, args: dict | None = None, *, handler=None, seconds: float = 2.5
    ) -> Reply:
        """One whole call; its ``commands`` are the Redis commands it sent."""
        self.send(kind, index, args, handler=handler, pause_after=NEVER)
        return self.reply(kind, index, seconds)

    def crash_after(
        self,
        kind: str,
        index: int,
        k: int,
        args: dict | None = None,
        *,
        graceful: bool = False,
        seconds: float = 2.5,
    ) -> Reply:
        """Run the type's handler on process ``index`` and end the process right after its
        ``k``-th Redis command (``graceful``: its ``on_shutdown`` runs first), then start a
        fresh one in its place. The reply is ``paused`` with the commands sent before the
        end, or ``done`` when the call finished with fewer than ``k`` commands (then the
        process is left running)."""
        self.send(kind, index, args, pause_after=k)
        reply = self.reply(kind, index, seconds)
        if reply.event == "paused":
            self.restart(kind, index, graceful=graceful)
        return reply

    def restart(self, kind: str, index: int, *, graceful: bool) -> dict | None:
        """End process ``index`` of ``kind`` (gracefully: ``on_shutdown`` runs) and start a
        fresh one in its place; returns what ``on_shutdown`` raised, if it did."""
        fleet = self.processes[kind][index]
        problem = fleet.processes[0].stop(graceful=graceful)
        fleet.close()
        self.processes[kind][index] = self._start()
        return problem

    def close(self) -> None:
        for running in self.processes.values():
            for fleet in running:
                fleet.close()
            running.clear()

    def __enter__(self) -> Formation:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
