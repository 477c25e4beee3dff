"""A fleet: N processes of one app addressed by slot, for races and load.

A :class:`~autograder.cluster.Cluster` routes each request and waits for its answer. A
race needs finer control: send process 0 a request that pauses after its first read,
send process 1 a whole request meanwhile and wait for it only briefly (a request that
waits for a lock the paused one holds is blocked, not hung), then resume process 0. A
load needs every process to start at the same moment. A fleet gives exactly that, on the
platform's own processes (:class:`~autograder.process.SimProcess`, forked by the fork
server): each has its own interpreter, disk, environment and disk guard, and the parent
reads what they answer as data.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .messages import _
from .process import Served, SimProcess, disks_folder


class Hang(Exception):
    """Process ``slot`` gave no answer in time; it has been ended."""

    def __init__(self, slot: int):
        super().__init__(slot)
        self.slot = slot


@dataclass
class Reply:
    """One answer of a process: ``done`` (``value`` or ``error``), ``paused`` or ``armed``.
    ``commands`` are the Redis commands sent so far, with their keys ("GET stock")."""

    event: str
    value: object = None
    error: dict | None = None
    commands: list[str] = field(default_factory=list)


class Fleet:
    """``processes`` processes of ``app``, started together, each with ``REDIS_URL`` (and
    ``env``, when given, instead: it must name ``REDIS_URL`` itself).

    Raises :class:`~autograder.errors.AppCrashed` when the app fails at import.
    """

    def __init__(
        self,
        app: Path,
        *,
        processes: int,
        redis_url: str = "",
        env: dict | None = None,
        first_pid: int = 1001,
    ):
        self._disk = Path(tempfile.mkdtemp(prefix="stateless-fleet-", dir=disks_folder()))
        self.processes = [
            SimProcess(
                app_file=Path(app),
                pid=first_pid + slot,
                slot=slot,
                base_dir=self._disk,
                env=dict(env) if env is not None else {"REDIS_URL": redis_url},
                capture_output=True,
            )
            for slot in range(processes)
        ]
        try:
            for process in self.processes:  # all launched first: they import side by side
                process.launch()
            for process in self.processes:
                process.start()
        except BaseException:
            self.close()
            raise

    def pid(self, slot: int) -> int:
        return self.processes[slot].pid

    # -- requests, sent and answered separately ------------------------------------------
    def send(self, slot: int, handler: str, args: dict, *, pause_after=None) -> None:
        """Start ``handler(**args)`` on process ``slot``; ``pause_after`` as in
        :meth:`Cluster.begin <autograder.cluster.Cluster.begin>` (e.g. ``NthRead(1)``)."""
        self.processes[slot].send_request(("call", handler, dict(args), pause_after))

    def resume(self, slot: int) -> None:
        """Let the paused request of process ``slot`` go on."""
        self.processes[slot].send_request(("resume",))

    def answered(self, slot: int, seconds: float) -> bool:
        """Has process ``slot`` answered within ``seconds``? (Not answering is no fault.)"""
        return self.processes[slot].answered(seconds)

    def reply(self, slot: int, seconds: float) -> Reply:
        """The next answer of process ``slot``; :class:`Hang` if none comes in time."""
        process = self.processes[slot]
        message = process.next_reply(timeout=seconds)
        event = message[0]
        if event == "gone" and message[1].get("kind") == "Timeout":
            raise Hang(slot)
        if event == "paused":
            return Reply("paused", commands=list(message[2]))
        if event == "armed":
            return Reply("armed")
        if event in ("done", "gone"):
            served = process.complete(Served(0, "", {}, process.pid, slot), message)
            commands = list(message[6]) if event == "done" else []
            return Reply("done", served.value, served.error, commands)
        process.stop(graceful=False)  # it answered out of turn: it cannot be trusted on
        message = _("platform.error.out_of_turn", pid=process.pid, event=event)
        error = {"kind": "BrokenReply", "message": message, "where": ""}
        return Reply("done", error=error)

    # -- load ----------------------------------------------------------------------------
    def start_hammer(
        self, handler: str, args: list[dict], times: int, seconds: float
    ) -> dict[int, Reply]:
        """Process ``i`` calls ``handler(**args[i])`` ``times`` times, every process at
        the same moment: each is sent the job, the fleet waits until every one says it is
        armed, then says go to all. Returns the answers of processes that never armed
        (an error); read the others' with :meth:`reply` (the list of values, or the
        first error)."""
        for slot, one in enumerate(args):
            self.processes[slot].send_request(("hammer", handler, dict(one), times))
        failed = {}
        for slot in range(len(args)):
            reply = self.reply(slot, seconds)
            if reply.event != "armed":
                failed[slot] = reply
        for slot in range(len(args)):
            if slot not in failed:
                self.processes[slot].send_request(("go",))  # the barrier opens for all
        return failed

    def hammer(self, handler: str, args: list[dict], times: int, seconds: float) -> list[Reply]:
        """:meth:`start_hammer`, then every process's answer, in slot order."""
        failed = self.start_hammer(handler, args, times, seconds)
        return [failed.get(slot) or self.reply(slot, seconds) for slot in range(len(args))]

    # -- teardown ------------------------------------------------------------------------
    def close(self) -> None:
        """Kill every process (and all it started), wait until they are gone, delete
        their disks."""
        for process in self.processes:
            process.stop(graceful=False)
        for process in self.processes:
            process.wait_gone()  # all were signalled: they die in parallel
        shutil.rmtree(self._disk, ignore_errors=True)

    def __enter__(self) -> Fleet:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
