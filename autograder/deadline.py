"""A time limit for one request or one process start, in the interpreter that runs it.

Used by the checker (every request of a check) and by notebook demos (a Cluster's
``request_timeout``), so a hanging app is stopped with a message instead of freezing.
"""

from __future__ import annotations

import signal
import threading

from .errors import RequestTimeout


class Hung(Exception):
    """Raised on the way out of a Deadline that ran out; ``what`` names what hung."""

    def __init__(self, what):
        self.what = what


class Deadline:
    """Interrupt a request that runs too long (POSIX main thread: SIGALRM timer).

    Elsewhere (Windows, or a non-main thread) there is no per-request deadline; the
    checker process as a whole still has its own budget and is killed when it runs out.
    """

    def __init__(self, seconds: float, what):
        self.seconds = seconds
        self.what = what
        self.armed = hasattr(signal, "setitimer") and (
            threading.current_thread() is threading.main_thread()
        )

    def _fire(self, signum, frame):
        raise RequestTimeout(self.what)

    def __enter__(self):
        if self.armed:
            self._previous = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
        if exc_type is RequestTimeout:
            raise Hung(self.what) from exc
        return False
