"""One simulated process: one running instance of the learner's app, as a real OS process.

The platform (this side, the parent) starts the child through the fork server
(:mod:`autograder.launcher`), and talks to it with the messages of
:mod:`autograder.protocol`. The child has its own interpreter, ``os.environ``, working
directory and temp dir (its private disk, deleted when it stops), and a process group
of its own, so a kill takes everything it started with it. What the child answers is
read as untrusted data: the parent never runs a line of the learner's code.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from . import launcher, preload, protocol
from .errors import AppCrashed, AppNotFound, PlatformError
from .messages import _, language

# The function an app may define to run on a graceful stop (like a SIGTERM handler).
SHUTDOWN_HOOK = "on_shutdown"
# How long a graceful stop waits for on_shutdown() before the process is killed anyway.
SHUTDOWN_GRACE_SECONDS = 5.0


# A file system in memory, where there is one: every process start makes a disk (two
# folders) and every stop deletes one, and on a journaling disk under load that costs
# ~15 ms a time; in RAM, a fraction of a millisecond. The files are small (a check's
# downloads and scratch files), and a real platform's ephemeral disk is often RAM too.
RAM_FOLDER = "/dev/shm"


def disks_folder() -> str | None:
    """Where a cluster keeps its processes' disks (None: the usual temp folder)."""
    if os.path.isdir(RAM_FOLDER) and os.access(RAM_FOLDER, os.W_OK | os.X_OK):
        return RAM_FOLDER
    return None


@dataclass
class Served:
    """What happened to one request: who served it and what the user got back."""

    seq: int
    handler: str
    args: dict
    pid: int
    slot: int
    user: str | None = None
    value: object = None
    error: dict | None = None
    output: str = ""
    note: str = ""  # what the platform did to it, e.g. paused it mid-request
    http: bool = False  # an HTTP request: ``handler`` is "METHOD /path", ``args`` path, form

    @property
    def ok(self) -> bool:
        return self.error is None


def child_texts() -> dict[str, str]:
    """The templates an app process may need, in the course language (see child.TEXTS);
    computed once per language: every process start sends them."""
    lang = language()
    if lang not in _child_texts:
        from .child import TEXTS

        _child_texts[lang] = {key: _(key) for key in TEXTS}
    return _child_texts[lang]


_child_texts: dict[str, dict[str, str]] = {}


class ProcessGone(Exception):
    """The child cannot answer any more; ``error`` says why, in one sentence."""

    def __init__(self, error: dict):
        super().__init__(error["message"])
        self.error = error


@dataclass
class SimProcess:
    """A process of the app: a child process started from the file.

    ``pid`` is the platform's number for it (1001, 1002, ...: what logs, feedback and the
    app's own ``os.getpid()`` show, like a container's pid namespace); ``os_pid`` is the
    real one. ``capture_output`` keeps what the app prints (the checker shows it in
    feedback); in a notebook demo it is off and the prints appear as they happen.
    """

    app_file: Path
    pid: int
    slot: int
    base_dir: Path
    env: dict[str, str]
    capture_output: bool = True
    started_at: float = field(default_factory=time.monotonic)
    requests_served: int = 0
    alive: bool = False

    def __post_init__(self):
        self.app_file = Path(self.app_file).resolve()
        self.root = Path(self.base_dir) / f"pid-{self.pid}"
        self._trash = Path(self.base_dir) / f"gone-pid-{self.pid}"
        self.env = {**self.env, "PORT": str(5000 + self.slot), "DYNO": f"web.{self.slot + 1}"}
        self.violations: list[dict] = []  # writes outside its disk that the guard refused
        self.start_output = ""
        self._child: launcher.Started | None = None
        self._ready = None  # a child asked for early (fork_early), not taken yet
        self._conn: Connection | None = None

    @property
    def name(self) -> str:
        return f"web.{self.slot + 1}"

    @property
    def os_pid(self) -> int | None:
        return self._child.pid if self._child is not None else None

    # -- lifecycle --------------------------------------------------------------------
    def launch(self) -> None:
        """Start the child and tell it to import the app file; :meth:`start` waits for
        the answer. Several processes launched first and then waited for import their
        app side by side (a cluster of three starts in about the time of one)."""
        if not self.app_file.exists():
            raise AppNotFound(str(self.app_file))
        ready, self._ready = self._ready, None
        self._child = (ready or launcher.start_later("app", self.libraries()))()
        self._conn = Connection(self._child.sock.detach())
        self.alive = True
        with contextlib.suppress(OSError):  # a child already gone: start() says why
            self._conn.send(
                {
                    "app_file": str(self.app_file),
                    "pid": self.pid,
                    "root": str(self.root),
                    "env": self.env,
                    "texts": child_texts(),
                }
            )

    def fork_early(self, standby=None) -> None:
        """Have the fork server fork this process's child now (or take ``standby``, a
        child forked earlier by :func:`launcher.start_later` with the same libraries);
        :meth:`launch` takes it."""
        if self._ready is None and self._child is None and self.app_file.exists():
            self._ready = standby or launcher.start_later("app", self.libraries())

    def libraries(self) -> list[str]:
        libraries = preload.library_imports(self.app_file)
        if any(name.split(".")[0] in ("flask", "werkzeug") for name in libraries):
            libraries.append("werkzeug.test")  # what the platform's WSGI calls use
        return libraries

    def start(self) -> None:
        """Start the child (unless :meth:`launch` did) and wait until it imported the app."""
        if self._child is None:
            self.launch()
        try:
            reply = self._receive()
        except ProcessGone as gone:
            self.wait_gone()
            raise AppCrashed(gone.error) from None
        if reply[0] == "crashed":
            self.start_output = reply[2]
            self._end()
            self.wait_gone()
            raise AppCrashed(reply[1])
        self.start_output = reply[1]
        self._show(self.start_output)
        self.started_at = time.monotonic()

    def stop(self, *, graceful: bool) -> dict | None:
        """End the process. Graceful runs the app's ``on_shutdown()``; a kill does not.

        Either way the process and everything it started get SIGKILL at the end, and its
        disk is deleted once it is gone (:meth:`wait_gone`), as the operating system and
        the platform would.
        """
        problem = None
        if self.alive and graceful:
            try:
                self._conn.send(("stop",))
                reply = self._receive(timeout=SHUTDOWN_GRACE_SECONDS)
                if reply[0] == "stopped":
                    problem = reply[1]
                    self._show(reply[2])
            except (ProcessGone, OSError):
                pass
        self._end()
        return problem

    def wait_gone(self) -> None:
        """Return once the OS process is gone, and delete what was its disk (a stop only
        sends SIGKILL and moves the disk aside, so a restart need not wait for the kernel
        to tear the old process down, nor for its files: the cluster does both when it
        closes)."""
        if self._child is not None:
            self._child.wait_gone()
        if not self.alive:
            shutil.rmtree(self._trash, ignore_errors=True)

    def _end(self) -> None:
        self.alive = False
        if self._child is not None:
            self._child.kill(wait=False)
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        # Its disk disappears at once (one rename); the files are deleted once it is gone.
        with contextlib.suppress(OSError):
            self.root.rename(self._trash)

    # -- requests ---------------------------------------------------------------------
    def call(self, handler: str, args: dict, *, seq: int, user: str | None) -> Served:
        """Run one request in this process and record exactly what the user got."""
        served = Served(seq, handler, dict(args), self.pid, self.slot, user)
        self.send_request(("call", handler, dict(args), None))
        return self.complete(served, self.next_reply())

    def call_wsgi(self, method: str, path: str, browser, *, seq: int, form=None, json=None):
        """Run one HTTP request from ``browser`` through the app's WSGI callable ``app``.

        The cookie jar stays here, in the parent: the child gets a copy of the cookies
        the browser sends and answers with the response; the browser applies Set-Cookie.
        """
        args = {"path": path, **({"form": form} if form is not None else {})}
        if json is not None:
            args["json"] = json
        request = f"{method.upper()} {path}"
        served = Served(seq, request, args, self.pid, self.slot, browser.user, http=True)
        self.send_request(("wsgi", method, path, dict(browser.cookies), form, json, None))
        served = self.complete(served, self.next_reply())
        if served.error is None:
            browser.receive(served.value)
        return served

    def send_request(self, message: tuple) -> None:
        if not self.alive:
            raise PlatformError(_("platform.error.not_running", pid=self.pid))
        try:
            self._conn.send(message)
        except OSError:
            pass  # it died; the reply that does not come says so

    def answered(self, timeout: float) -> bool:
        """Has the child answered within ``timeout`` seconds? Unlike :meth:`next_reply`
        with a timeout, waiting here does not end a child that is slow: a request that
        waits for a lock another request holds may still finish."""
        if not self.alive:
            return True  # next_reply says why
        try:
            return self._conn.poll(timeout)
        except (OSError, EOFError):
            return True

    def next_reply(self, timeout: float | None = None) -> tuple:
        """The child's next reply, or a ("gone", error) when it cannot answer any more."""
        try:
            return self._receive(timeout)
        except ProcessGone as gone:
            return ("gone", gone.error)

    def complete(self, served: Served, reply: tuple) -> Served:
        """Fill ``served`` from a ``done`` (or ``gone``) reply."""
        if reply[0] == "gone":
            served.error = reply[1]
            return served
        _, value, error, output, violations = reply[:5]
        served.value, served.error = value, error
        self.violations.extend(violations)
        if self.capture_output:
            served.output = output
        else:
            self._show(output)
        self.requests_served += 1
        return served

    def _receive(self, timeout: float | None = None) -> tuple:
        """Read one reply. A child that cannot give one is ended, and so is one whose
        wait was interrupted (a deadline, Ctrl-C): its answer can never be read now."""
        try:
            return self._read(timeout)
        except BaseException:
            self._end()
            raise

    def _read(self, timeout: float | None) -> tuple:
        try:
            if timeout is not None and not self._conn.poll(timeout):
                raise ProcessGone(self._gone("Timeout", "timeout", seconds=timeout))
            data = self._conn.recv_bytes(protocol.MAX_REPLY_BYTES)
            reply = protocol.loads(data)
            if not isinstance(reply, tuple) or not reply or not isinstance(reply[0], str):
                raise protocol.BadReply("not a reply")
            return reply
        except (EOFError, ConnectionError):
            raise ProcessGone(self._gone("ProcessExited", "exited")) from None
        except protocol.BadReply:
            raise ProcessGone(self._gone("BrokenReply", "broken_reply")) from None
        except OSError:  # recv_bytes: longer than MAX_REPLY_BYTES
            megabytes = protocol.MAX_REPLY_BYTES // 2**20
            gone = self._gone("ReplyTooLarge", "too_large", megabytes=megabytes)
            raise ProcessGone(gone) from None

    def _gone(self, kind: str, why: str, **values) -> dict:
        message = _(f"platform.error.gone.{why}", pid=self.pid, **values)
        return {"kind": kind, "message": message, "where": ""}

    def _show(self, output: str) -> None:
        if output and not self.capture_output:
            sys.stdout.write(output)

    # -- looking inside ---------------------------------------------------------------
    def _ask(self, message: tuple, answer: str):
        if not self.alive:
            return None
        with contextlib.suppress(ProcessGone, OSError):
            self._conn.send(message)
            reply = self._receive(timeout=SHUTDOWN_GRACE_SECONDS)
            if reply[0] == answer:
                return reply[1]
        return None

    def memory_summary(self, limit: int = 8) -> dict[str, str]:
        """Module-level values the app holds in memory (its globals), for the dashboard."""
        summary = self._ask(("memory", limit), "memory")
        return dict(summary) if isinstance(summary, dict) else {}

    def handlers(self) -> dict[str, list[tuple[str, int, bool]]]:
        """The public functions the app file defines: name -> [(parameter, kind, has
        default)] (see :func:`autograder.workloads.app_handlers`)."""
        found = self._ask(("handlers",), "handlers")
        return dict(found) if isinstance(found, dict) else {}
