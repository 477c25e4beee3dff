"""Processes marked as a deployment's: found in /proc by their environment, and killed.

Every process of a deployment (:mod:`autograder.deploy`) inherits ``COURSE_DEPLOYMENT=<uuid>``
in its environment, whatever it does later: honcho starts each process type in a session
of its own, and a daemon may call ``setsid`` and leave every process group and tree. A
scan of ``/proc/<pid>/environ`` (the environment the process started with) still finds
it, so teardown kills by marker, not by group.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import AutograderError

MARKER = "COURSE_DEPLOYMENT"
TYPE_VAR = "COURSE_PROCESS_TYPE"  # set by each Procfile line: the process list shows it
PROC = Path("/proc")
KILL_SECONDS = 3.0


class OrphansLeft(AutograderError):
    """A process of a deployment was still running after teardown."""


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    kind: str  # the Procfile type it belongs to ("web", "worker"), or "?"
    command: str


def free_port() -> int:
    """A TCP port on 127.0.0.1 that no one listens on now (chosen by the kernel)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environ(pid: int, needle: str = "") -> dict[str, str]:
    """A process's environment as it started; ``{}`` when it lacks ``needle`` (a cheap
    test first: the machine may run hundreds of processes, and teardown scans them all)."""
    try:
        raw = (PROC / str(pid) / "environ").read_bytes()
    except OSError:  # gone, or not ours
        return {}
    if needle.encode() not in raw:
        return {}
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in pairs}


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, ppid) from /proc/<pid>/stat; None when the process is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def marked(marker: str) -> list[Proc]:
    """Every live process (zombies excluded) whose environment holds ``marker``."""
    found = []
    for entry in os.listdir(PROC):
        if not entry.isdigit():
            continue
        pid = int(entry)
        env = _environ(pid, marker)
        if env.get(MARKER) != marker:
            continue
        stat = _stat(pid)
        if stat is None or stat[0] in ("Z", "X"):
            continue
        try:
            raw = (PROC / entry / "cmdline").read_bytes()
        except OSError:
            continue
        command = " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)
        kind = env.get(TYPE_VAR) or ("honcho" if "honcho" in command else "?")
        found.append(Proc(pid, stat[1], kind, command))
    return sorted(found, key=lambda p: p.pid)


def listening_ports(pids) -> set[int]:
    """The TCP ports the processes ``pids`` listen on: their socket inodes (in
    /proc/<pid>/fd) matched with the listening sockets of /proc/net/tcp and tcp6."""
    inodes = set()
    for pid in pids:
        try:
            fds = os.listdir(PROC / str(pid) / "fd")
        except OSError:
            continue
        for fd in fds:
            with contextlib.suppress(OSError):
                link = os.readlink(PROC / str(pid) / "fd" / fd)
                if link.startswith("socket:["):
                    inodes.add(link[8:-1])
    ports = set()
    for table in ("tcp", "tcp6"):
        try:
            rows = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 9 and fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def kill_marked(marker: str, seconds: float = KILL_SECONDS) -> list[int]:
    """SIGKILL every process carrying ``marker`` and its process group, until none is
    left; returns the pids killed. Raises OrphansLeft if one outlives ``seconds``."""
    killed: list[int] = []
    deadline = time.monotonic() + seconds
    while True:
        left = marked(marker)
        if not left:
            return killed
        if time.monotonic() > deadline:
            raise OrphansLeft(f"still running after teardown: {[p.pid for p in left]}")
        for proc in left:
            with contextlib.suppress(OSError):
                os.killpg(os.getpgid(proc.pid), signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.kill(proc.pid, signal.SIGKILL)
            if proc.pid not in killed:
                killed.append(proc.pid)
        time.sleep(0.02)
