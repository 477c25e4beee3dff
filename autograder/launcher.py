"""Starting app processes (and the embedded Redis) fast: a preloaded fork server.

A fresh Python interpreter that imports redis-py and Flask takes about half a second. The
platform starts processes all the time (every restart, kill, scale, and every phase of
every check), so it keeps one *fork server* per parent: a small process started once
that has already imported the standard library modules apps use, redis-py, Flask and
the child's own code -- never any learner code. To start an app process
the parent hands the server one end of a fresh socket pair; the server forks, and the
child serves the app on that socket. A start then costs a fork, not an interpreter.

The parent itself never forks (it may hold threads: a notebook kernel always does), and
the server is single-threaded, so forking there is safe. When the parent exits, the
server sees its socket close and exits, and every child it started dies with it
(``PR_SET_PDEATHSIG`` on Linux): no process is ever left behind.

Off Linux (macOS, Windows), or with ``AUTOGRADER_START=spawn``, each process is a fresh
interpreter running ``python -m autograder.child``: everything works, slower.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import gc
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import preload

SPAWN = "spawn"
FORKSERVER = "forkserver"


def start_method() -> str:
    wanted = os.environ.get("AUTOGRADER_START", "")
    # The server passes sockets in SOCK_SEQPACKET messages and relies on PR_SET_PDEATHSIG:
    # Linux. Elsewhere (macOS, Windows) every process is a fresh interpreter.
    if wanted == SPAWN or not sys.platform.startswith("linux"):
        return SPAWN
    return FORKSERVER


class Started:
    """A started child: its OS pid and the parent's end of its connection."""

    def __init__(self, pid: int, sock: socket.socket, popen: subprocess.Popen | None = None):
        self.pid = pid
        self.sock = sock
        self.popen = popen  # only with spawn: the parent must reap it

    def kill(self, *, wait: bool = True) -> None:
        """SIGKILL the child and everything it started (its own process group); with
        ``wait``, return only once it is gone (see :meth:`wait_gone`)."""
        for kill in (os.killpg, os.kill) if hasattr(os, "killpg") else (os.kill,):
            with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
                kill(self.pid, signal.SIGKILL)
        if wait:
            self.wait_gone()

    def wait_gone(self) -> None:
        if self.popen is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=5)
            return
        # Not our child (the fork server's, which reaps it): wait until it is really gone,
        # so "closed" means no process is left, not "a signal is on its way". Linux says
        # so through a pidfd (readable once the process has exited); else we poll.
        try:
            pidfd = os.pidfd_open(self.pid)
        except (AttributeError, OSError):  # gone already, or not Linux >= 5.3
            pidfd = None
        if pidfd is not None:
            try:
                select.select([pidfd], [], [], 5)
            finally:
                os.close(pidfd)
            return
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except (ProcessLookupError, PermissionError):
                return
            time.sleep(0.001)


def start(kind: str, libraries: list[str] = ()) -> Started:
    """Start a child of ``kind`` ("app" or "redis"); it waits for its first message.
    ``libraries`` are imported in the fork server first (see
    :func:`~autograder.preload.library_imports`)."""
    return start_later(kind, libraries)()


def start_later(kind: str, libraries: list[str] = ()):
    """Ask for a child now, take it later: returns ``ready()``, which gives the
    :class:`Started`. The fork server forks while the caller goes on (a restart asks
    for the new process before it stops the old one). A child never taken ends on its
    own: its end of the connection closes with the forgotten ``ready``."""
    parent_end, child_end = socket.socketpair()
    try:
        if start_method() == SPAWN:
            popen = subprocess.Popen(
                [sys.executable, "-m", f"autograder.{_MODULES[kind]}", str(child_end.fileno())],
                pass_fds=(child_end.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            started = Started(popen.pid, parent_end, popen)
            return lambda: started
        server = _server()
        ticket = server.request(kind, libraries, child_end)
        return lambda: Started(server.collect(ticket), parent_end)
    except BaseException:
        parent_end.close()
        raise
    finally:
        child_end.close()


_MODULES = {"app": "child", "redis": "redis_process"}


class _Forked:
    """A fork server forked from this very process: the few methods of Popen it needs."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = -signal.SIGKILL
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None):
        deadline = time.monotonic() + (timeout if timeout is not None else 1e9)
        while self.poll() is None:
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("fork server", timeout)
            time.sleep(0.005)
        return self.returncode

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)


class ForkServer:
    """The parent's handle on its fork server (one per parent process).

    ``here=True`` forks the server from this process instead of starting a fresh
    interpreter: only for a parent with no threads that has imported nothing of the
    judge's state yet (the checker does it first thing), so the server holds the
    libraries already imported and nothing else.
    """

    def __init__(self, here: bool = False):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.owner = os.getpid()
        self.lock = threading.Lock()
        self._pending: collections.deque[list] = collections.deque()  # tickets, in order
        if here:
            pid = os.fork()
            if pid == 0:
                try:
                    ours.close()
                    null = os.open(os.devnull, os.O_RDWR)
                    for fd in (0, 1, 2):
                        os.dup2(null, fd)  # never hold the checker's output pipe open
                    os.chdir(os.path.abspath(os.sep))
                    _serve(theirs.fileno())
                finally:
                    os._exit(0)
            theirs.close()
            self.popen = _Forked(pid)
            self.sock = ours
            return
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "autograder.launcher", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Not the notebook's folder: nothing of the learner's is on the server's path.
            cwd=os.path.abspath(os.sep),
            env=_server_env(),
        )
        theirs.close()
        self.sock = ours

    def request(self, kind: str, libraries, child_end: socket.socket) -> list:
        """Ask for a fork; the pid is read later by :meth:`collect` (the server answers
        requests in order, so the replies are matched to their tickets in order)."""
        ticket: list = [None]
        message = " ".join([kind, *libraries]).encode()
        with self.lock:
            socket.send_fds(self.sock, [message], [child_end.fileno()])
            self._pending.append(ticket)
        return ticket

    def collect(self, ticket: list) -> int:
        with self.lock:
            while ticket[0] is None:
                reply = self.sock.recv(16)
                if len(reply) != 4:
                    raise OSError("the platform's fork server stopped")
                self._pending.popleft()[0] = struct.unpack("i", reply)[0]
        return ticket[0]

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.popen.poll() is None

    def close(self) -> None:
        if self.owner != os.getpid():
            return  # a forked copy of the parent never stops the parent's server
        self.sock.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=5)
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait()


def _server_env() -> dict[str, str]:
    package_parent = str(Path(__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}


_instance: ForkServer | None = None
_instance_lock = threading.Lock()


def _server() -> ForkServer:
    global _instance
    with _instance_lock:
        if _instance is None or not _instance.alive():
            if _instance is None:
                atexit.register(shutdown)
            else:
                _instance.close()  # it died: reap it (a forked copy's close does nothing)
            _instance = ForkServer()
        return _instance


def warm_up(*, here: bool = False) -> None:
    """Start the fork server now (it preloads in parallel with whatever comes next).
    ``here``: fork it from this process (see :class:`ForkServer`)."""
    global _instance
    if start_method() != FORKSERVER:
        return
    with _instance_lock:
        if _instance is None:
            atexit.register(shutdown)
            _instance = ForkServer(here=here)


def server_pid() -> int | None:
    """The fork server's pid, if this process has started one (it outlives clusters)."""
    return _instance.popen.pid if _instance is not None and _instance.alive() else None


def shutdown() -> None:
    """Stop the fork server (and so every child it started). Tests and atexit use it."""
    global _instance
    with _instance_lock:
        if _instance is not None:
            _instance.close()
            _instance = None


# -- the server side ---------------------------------------------------------------------
def _serve(fd: int) -> None:
    from .child import _die_with_parent

    _die_with_parent()
    preload.import_platform()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C in a terminal is the parent's
    sock = socket.socket(fileno=fd)
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(sock, 65536, 1)
        except OSError:
            return
        if not message or not fds:
            return  # the parent closed its end (or exited)
        kind, *libraries = message.decode().split()
        if kind == "app":
            preload.import_libraries(libraries)
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            sock.close()
            os.setpgrp()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _run_child(kind, fds[0])
        os.close(fds[0])
        sock.send(struct.pack("i", pid))


def _run_child(kind: str, fd: int) -> None:
    try:
        if kind == "redis":
            from .redis_process import main
        else:
            from .child import main
        main(fd)
    finally:
        os._exit(0)


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
