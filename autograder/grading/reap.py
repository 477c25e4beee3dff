"""Kill everything a submission started, however it detached itself.

A kernel's child started with ``start_new_session=True`` leaves the kernel's process
group, and a double-forked daemon is re-parented away from the kernel: neither dies when
nbgrader shuts the kernel down. Linux lets a process declare itself a *child subreaper*
(``prctl(PR_SET_CHILD_SUBREAPER)``): orphans below it are re-parented to it instead of to
init, so "every process below me" stays a complete list. The grader becomes one, and
after each notebook kills that list (SIGKILL, repeated until it is empty, so a process
forking in a loop cannot outrun it) and waits for the dead.

Elsewhere (macOS, Windows) these functions do nothing: grade on Linux, or in a container
that is thrown away afterwards (docs/instructors.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import time
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
PROC = Path("/proc")


def become_subreaper() -> bool:
    """Make this process the subreaper of everything it starts. True when it worked."""
    if not PROC.is_dir():
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _parent_of(pid: int) -> int | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid ...": comm may contain spaces and parentheses.
    return int(stat.rsplit(")", 1)[1].split()[1])


def process_table() -> dict[int, int]:
    """``{pid: parent pid}`` of every process visible in /proc."""
    table = {}
    if not PROC.is_dir():
        return table
    for entry in os.listdir(PROC):
        if entry.isdigit():
            parent = _parent_of(int(entry))
            if parent is not None:
                table[int(entry)] = parent
    return table


def descendants(root: int | None = None) -> list[int]:
    """Every process below ``root`` (default: this process), zombies included."""
    root = os.getpid() if root is None else root
    children: dict[int, list[int]] = {}
    for pid, parent in process_table().items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def kill_descendants(keep: set[int] | frozenset[int] = frozenset(), rounds: int = 50) -> list[int]:
    """SIGKILL every process below this one except ``keep`` (and their subtrees' roots).

    Returns the pids killed. Repeats until nothing is left, reaping the dead children
    this process adopted so that they do not stay behind as zombies.
    """
    killed: list[int] = []
    me = os.getpid()
    for _ in range(rounds):
        pids = [p for p in descendants(me) if p not in keep]
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
            if pid not in killed:
                killed.append(pid)
        time.sleep(0.02)
        reap_zombies(keep)
    return killed


def reap_zombies(keep=frozenset()) -> None:
    """Wait for dead direct children (adopted orphans included), except ``keep``."""
    me = os.getpid()
    for pid, parent in process_table().items():
        if parent == me and pid not in keep:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, os.WNOHANG)
