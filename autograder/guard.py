"""Inside an app process: refuse writes outside its own disk, and signals.

On a real platform ``/tmp`` is writable but private to the container and wiped with it.
Here every app process is a real OS process on the grader's machine, so a file written
to ``/tmp`` or next to the app file would outlive the process and be seen by the next
one: a leak the real platform does not have. The audit hook below (installed only in the
child, after the platform's own set-up) refuses such writes and records them, so a check
can name the path even when the app catches the error. ``os.kill`` is refused too: a
process of the course has no business signalling other programs.

Two doors around the guard are shut as well: starting another program (a new process
would run without this hook, and could write anywhere), and calling C through ctypes
(``libc.open`` raises no audit event). A web process of this course needs neither.
"""

from __future__ import annotations

import os
import sys

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_PATH_EVENTS = {
    "os.remove": 0,
    "os.rmdir": 0,
    "os.mkdir": 0,
    "os.truncate": 0,
    "os.chmod": 0,
    "os.rename": 1,  # also os.replace: the destination is what gets written
    "os.symlink": 1,
    "os.link": 1,
    "shutil.rmtree": 0,
    "sqlite3.connect": 0,
}


# Audit events that start another program or process.
_PROCESS_EVENTS = {
    "os.fork",
    "os.forkpty",
    "os.posix_spawn",
    "os.spawn",
    "os.exec",
    "os.system",
    "subprocess.Popen",
    "pty.spawn",
}
# ctypes calls into C without any audit event of its own for what the C code does.
_CTYPES_EVENTS = {"ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle", "ctypes.call_function"}


# The refusals' texts, in the course language, come from the parent with the process's
# configuration (the message catalogue itself is not loaded in an app process).
REFUSALS = (
    "platform.refused.start_process",
    "platform.refused.ctypes",
    "platform.refused.signal",
    "platform.refused.write",
)


class DiskGuard:
    """The audit hook of one app process: its disk is ``root``, its shown pid ``pid``,
    ``texts`` the refusals' templates (key -> str.format template)."""

    def __init__(self, root: str, pid: int, texts: dict[str, str] | None = None):
        self.root = os.path.realpath(root)
        self.pid = pid
        self.texts = texts or {}
        self.violations: list[dict] = []
        self._busy = False

    def refusal(self, key: str, **values) -> PermissionError:
        try:
            text = self.texts[key].format(pid=self.pid, **values)
        except (KeyError, IndexError, ValueError):
            text = f"{key} {values}"  # never expected: the parent sends every template
        return PermissionError(text)

    def install(self) -> None:
        sys.addaudithook(self._audit)  # permanent: the process never leaves its own world

    def take_violations(self) -> list[dict]:
        found, self.violations = self.violations, []
        return found

    def _audit(self, event: str, args: tuple) -> None:
        if self._busy:
            return
        if event in _PROCESS_EVENTS:
            raise self.refusal("platform.refused.start_process", event=event)
        if event in _CTYPES_EVENTS:
            raise self.refusal("platform.refused.ctypes")
        if event in ("os.kill", "os.killpg"):
            raise self.refusal("platform.refused.signal", target=args[0])
        path = None
        if event == "open":
            target, mode, flags = args
            writes = (isinstance(flags, int) and flags & _WRITE_FLAGS) or (
                isinstance(mode, str) and any(c in mode for c in "wax+")
            )
            if writes and isinstance(target, (str, bytes, os.PathLike)):
                path = target
        elif event in _PATH_EVENTS:
            target = args[_PATH_EVENTS[event]]
            if isinstance(target, (str, bytes, os.PathLike)):
                path = target
        if path is not None:
            self._busy = True  # the check below may itself touch the file system
            try:
                self._check(os.fsdecode(path), event)
            finally:
                self._busy = False

    def _check(self, path: str, event: str) -> None:
        resolved = os.path.realpath(os.path.join(os.getcwd(), path))
        if resolved == os.devnull or resolved.startswith(self.root + os.sep):
            return
        self.violations.append({"path": resolved, "event": event})
        raise self.refusal("platform.refused.write", path=resolved)
