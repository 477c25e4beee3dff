"""Routers: how the platform picks the process that serves each request.

Round-robin and seeded random spread a user's requests over every process; sticky pins a
user to one pid (by a cookie, on a real platform), which the course shows is wrong: when
that process goes, so does everything the user had in it.
"""

from __future__ import annotations

import itertools
import random
from typing import TYPE_CHECKING

from .errors import PlatformError
from .messages import _

if TYPE_CHECKING:
    from .process import SimProcess

ROUND_ROBIN = "round-robin"
RANDOM = "random"
STICKY = "sticky"
ROUTERS = (ROUND_ROBIN, RANDOM, STICKY)


class Router:
    """Chooses the process for each request. ``sticky`` pins a user to one pid."""

    def __init__(self, kind: str, seed: int):
        if kind not in ROUTERS:
            raise PlatformError(
                _("platform.error.unknown_router", router=kind, routers=", ".join(ROUTERS))
            )
        self.kind = kind
        self.seed = seed
        self._random = random.Random(seed)
        self._turn = itertools.count()
        self.pins: dict[str, int] = {}
        self.repinned: list[tuple[str, int, int]] = []  # (user, dead pid, new pid), unread

    def choose(self, processes: list[SimProcess], user: str | None) -> SimProcess:
        if self.kind == STICKY and user is not None:
            pinned = self.pins.get(user)
            for process in processes:
                if process.pid == pinned:
                    return process
            chosen = self._random.choice(processes)
            if pinned is not None:
                # The sticky promise is broken: whatever the user had in that process is gone.
                self.repinned.append((user, pinned, chosen.pid))
            self.pins[user] = chosen.pid
            return chosen
        if self.kind == RANDOM:
            return self._random.choice(processes)
        return processes[next(self._turn) % len(processes)]
