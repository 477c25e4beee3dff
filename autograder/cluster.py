"""A cluster: N processes of one app file behind a router, sharing one backing service.

This plays the part of Heroku or Kubernetes for the course. It starts, restarts, kills and
scales processes, routes each request to one of them, and writes down everything it did,
so feedback can say exactly which process served what and when it was restarted. Here:
the processes' lives (start, restart, kill, scale) and the log; the requests themselves
(routing, sending, pausing) are :mod:`autograder.traffic`'s, the cluster's base class.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import tempfile
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from . import launcher
from .backing import RedisService, shared_service
from .deadline import Deadline, Hung
from .errors import AppCrashed, PlatformError
from .messages import _
from .messages.names import router_name
from .process import Served, SimProcess, disks_folder
from .render import describe_served
from .routing import RANDOM, ROUND_ROBIN, ROUTERS, STICKY, Router
from .traffic import Traffic

__all__ = [
    "RANDOM",
    "ROUND_ROBIN",
    "ROUTERS",
    "STICKY",
    "Cluster",
    "Event",
    "Router",
    "describe_served",
]

# A notebook demo never freezes on a hanging app: the request fails after this long.
DEFAULT_REQUEST_TIMEOUT = 10.0


@dataclass
class Event:
    """One thing the platform did, in the order it did it."""

    seq: int  # requests served before it happened
    action: str  # start | restart | kill | scale | route | rolling-restart | pause | replace
    text: str
    pid: int | None = None


def _discard(standby) -> None:
    """End a standby child that never became a process (its fork is collected first, so
    no process of the cluster outlives :meth:`Cluster.close`)."""
    if standby is not None:
        with contextlib.suppress(OSError):
            started = standby[1]()
            started.sock.close()
            started.kill()


class Cluster(Traffic):
    """N processes of ``app`` behind a router.

    >>> with Cluster("counter.py", processes=3, router="random", seed=7) as cluster:
    ...     cluster.request("hit")
    ...     cluster.restart()

    The backing service is the notebook's shared Redis unless one is passed in; the
    cluster never closes a service it did not create.
    """

    def __init__(
        self,
        app: str | Path,
        *,
        processes: int = 1,
        router: str = ROUND_ROBIN,
        seed: int = 0,
        redis: RedisService | None = None,
        env: dict[str, str] | None = None,
        capture_output: bool = False,
        first_pid: int = 1001,
        request_timeout: float | None = DEFAULT_REQUEST_TIMEOUT,
    ):
        if processes < 1:
            raise PlatformError(_("platform.error.no_processes"))
        self.app = Path(app).resolve()
        self.redis = redis if redis is not None else shared_service()
        self.env = {"REDIS_URL": self.redis.url, **(env or {})}
        self.router = Router(router, seed)
        self.capture_output = capture_output
        self.request_timeout = request_timeout
        self._pids = itertools.count(first_pid)
        self._disk = Path(tempfile.mkdtemp(prefix="stateless-platform-", dir=disks_folder()))
        self.processes: list[SimProcess] = []
        self.log: list = []  # Served, one per request, in order
        self.browsers: dict = {}  # user -> Browser (their cookies), for HTTP apps
        self._paused: list = []  # begun requests not finished yet (see begin())
        self._retired: list[SimProcess] = []  # stopped; close() waits until they are gone
        self.events: list[Event] = []
        self.requests = 0
        self._standby = None  # (libraries, ready): see _new_process
        launched: list[SimProcess] = []
        try:
            # All launched first: they import the app side by side.
            for slot in range(processes):
                launched.append(self._new_process(slot))
                launched[-1].launch()
            for process in launched:
                self.processes.append(self._start(process.slot, process=process))
        except BaseException:
            self._retired.extend(p for p in launched if p not in self.processes)
            for process in self._retired:
                process.stop(graceful=False)
            self.close()
            raise

    # -- lifecycle --------------------------------------------------------------------
    def _new_process(self, slot: int) -> SimProcess:
        process = SimProcess(
            app_file=self.app,
            pid=next(self._pids),
            slot=slot,
            base_dir=self._disk,
            env=self.env,
            capture_output=self.capture_output,
        )
        # A warm standby: the cluster keeps one child forked ahead (it has imported
        # nothing of the app, and gets its configuration only when it becomes a process).
        # The fork server forks the next one while this process imports the app and
        # serves, so a restart does not wait for a fork.
        libraries = process.libraries()
        standby, self._standby = self._standby, None
        if standby is not None and standby[0] == libraries:
            process.fork_early(standby[1])
        else:
            _discard(standby)
        if self.app.exists():
            self._standby = (libraries, launcher.start_later("app", libraries))
        return process

    def _start(
        self, slot: int, *, announce: bool = True, process: SimProcess | None = None
    ) -> SimProcess:
        process = process or self._new_process(slot)
        try:
            with self._deadline("start"):
                process.start()
        except Hung as hung:
            process.stop(graceful=False)
            process.wait_gone()
            raise AppCrashed(
                {
                    "kind": "Timeout",
                    "message": _("platform.error.start_timeout", seconds=self.request_timeout),
                    "where": "",
                }
            ) from hung
        if announce:
            text = _("platform.event.start", name=process.name, pid=process.pid)
            self._event("start", text, process.pid)
        return process

    def _event(self, action: str, text: str, pid: int | None = None) -> None:
        self.events.append(Event(self.requests, action, text, pid))

    def _slot(self, which: int) -> int:
        """Accept a slot index (0-based) and find it, or a pid."""
        for index, process in enumerate(self.processes):
            if process.pid == which:
                return index
        if 0 <= which < len(self.processes):
            return which
        raise PlatformError(_("platform.error.no_process", which=which, pids=self.pids))

    def _replace(self, slot: int, *, graceful: bool) -> tuple[SimProcess, SimProcess]:
        """Stop the process in ``slot`` and start a fresh one there (a new pid)."""
        old = self.processes[slot]
        new = self._new_process(slot)
        new.fork_early()  # forked while the old one stops; it imports the app after
        self._drop_paused(old)
        old.stop(graceful=graceful)
        self._retired.append(old)
        self.processes[slot] = self._start(slot, announce=False, process=new)
        return old, self.processes[slot]

    def restart(self, which: int | None = None) -> None:
        """Gracefully restart one process (slot index or pid), or all when ``which`` is None."""
        slots = range(len(self.processes)) if which is None else [self._slot(which)]
        for slot in slots:
            old, new = self._replace(slot, graceful=True)
            text = _("platform.event.restart", old=old.pid, new=new.pid)
            self._event("restart", text, new.pid)

    def kill(self, which: int) -> None:
        """Kill one process with no warning (SIGKILL); the platform starts a replacement."""
        old, new = self._replace(self._slot(which), graceful=False)
        self._event("kill", _("platform.event.kill", old=old.pid, new=new.pid), new.pid)

    def rolling_restart(self) -> None:
        """Restart processes one at a time, as a deploy does."""
        self._event("rolling-restart", _("platform.event.rolling"))
        for slot in range(len(self.processes)):
            self.restart(slot)

    def scale(self, count: int) -> None:
        """Run ``count`` processes: start new ones or stop the newest ones."""
        if count < 1:
            raise PlatformError(_("platform.error.no_processes"))
        while len(self.processes) < count:
            self.processes.append(self._start(len(self.processes)))
        while len(self.processes) > count:
            process = self.processes.pop()
            self._drop_paused(process)
            process.stop(graceful=True)
            self._retired.append(process)
        self._event("scale", _("platform.event.scale", count=count, pids=self.pids))

    def set_router(self, kind: str) -> None:
        self.router = Router(kind, self.router.seed)
        self._event("route", _("platform.event.router", router=router_name(kind)))

    def next_pid(self) -> int:
        """The pid the next started process would get (uses it up)."""
        return next(self._pids)

    def _deadline(self, what):
        return Deadline(self.request_timeout, what) if self.request_timeout else nullcontext()

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]

    # -- requests are Traffic's; a process that hung or ended is replaced here -----------
    def _replace_if_gone(self, process: SimProcess) -> None:
        """A process that hung (and was killed for it) or ended itself is replaced, as a
        platform restarts a crashed dyno; the event log says so."""
        if process.alive or process not in self.processes:
            return
        slot = self.processes.index(process)
        self._drop_paused(process)
        process.stop(graceful=False)  # its group and its disk, if anything is left
        self._retired.append(process)
        try:
            self.processes[slot] = self._start(slot, announce=False)
        except AppCrashed:
            return
        self._event(
            "replace",
            _("platform.event.replace", old=process.pid, new=self.processes[slot].pid),
            self.processes[slot].pid,
        )

    # -- teardown ---------------------------------------------------------------------
    def close(self) -> None:
        for paused in self._paused:
            paused.abandon()
        self._paused = []
        _discard(self._standby)
        self._standby = None
        for process in self.processes:
            process.stop(graceful=False)
        for process in [*self._retired, *self.processes]:
            process.wait_gone()  # all were signalled: they die in parallel
        self._retired = []
        self.processes = []
        shutil.rmtree(self._disk, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- display ----------------------------------------------------------------------
    def history(self, last: int | None = None) -> list[str]:
        """Requests and platform actions interleaved, as plain lines (the last ``last``).

        Only the lines asked for are rendered: a check asks for the last ten after every
        request, and rendering the whole log each time made a long check quadratic."""
        entries: list = []
        events = iter(self.events)
        pending = next(events, None)
        for served in self.log:
            while pending is not None and pending.seq < served.seq:
                entries.append(pending)
                pending = next(events, None)
            entries.append(served)
        while pending is not None:
            entries.append(pending)
            pending = next(events, None)
        return [
            describe_served(entry)
            if isinstance(entry, Served)
            else _("platform.history.event", text=entry.text)
            for entry in (entries[-last:] if last else entries)
        ]

    def _repr_html_(self) -> str:
        from .render import cluster_html

        return cluster_html(self)

    def show(self, last: int = 12) -> str:
        """The processes and the last requests, as plain text (for terminals and tests)."""
        from .render import cluster_text

        return cluster_text(self, last=last)

    def __repr__(self) -> str:
        return (
            f"<Cluster {self.app.name}: {len(self.processes)} process(es) {self.pids}, "
            f"{self.router.kind} router, {self.requests} request(s)>"
        )
