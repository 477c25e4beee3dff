"""The dashboard's "what users saw" panel, counted: how many users lost their state, and
to which process's death ("3 of 10 users lost their cart when pid 1002 was killed").

A :class:`~autograder.workloads.Workload` follows the requests and keeps each user's
latest look (a :class:`~autograder.workloads.Seen`); this module only counts and words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .messages import _
from .workloads import Seen, Workload


@dataclass
class UsersReport:
    """The "what users saw" panel: the headline and each user's latest look."""

    line: str
    total: int = 0
    lost: int = 0
    judged: bool = True
    rows: list[Seen] = field(default_factory=list)


def users_report(workload: Workload, alive: set[int], ended: dict[int, str]) -> UsersReport:
    """Count the users who lost their state and say when: "3 of 10 users lost their cart
    when pid 1002 was killed". ``ended`` maps gone pids to how they ended, in order."""
    rows = sorted(workload.views.values(), key=lambda seen: seen.user)
    key = workload.key
    if not rows:
        return UsersReport(_(f"dashboard.users.none.{key}"))
    if not workload.judged:
        return UsersReport(
            _("dashboard.users.unjudged", total=len(rows)), len(rows), 0, False, rows
        )
    lost = [seen for seen in rows if not seen.ok]
    if not lost:
        return UsersReport(
            _(f"dashboard.users.kept.{key}", total=len(rows)), len(rows), 0, True, rows
        )
    causes = _causes(*_group_losses(lost, alive, ended))
    headline = _(f"dashboard.users.lost.{key}", lost=len(lost), total=len(rows))
    if len(causes) == 1:
        line = _("dashboard.users.one_cause", headline=headline, cause=causes[0][1])
    else:
        parts = ", ".join(
            _("dashboard.users.cause_count", count=count, cause=cause) for count, cause in causes
        )
        line = _("dashboard.users.many_causes", headline=headline, causes=parts)
    return UsersReport(line, len(rows), len(lost), True, rows)


def _group_losses(lost: list[Seen], alive: set[int], ended: dict[int, str]):
    """The losses by cause: ``(died, other)``, where ``died`` maps how a process ended to
    {pid: users} and ``other`` counts the losses no death explains. A user whose state sat
    in several dead processes is counted once, at the latest of those deaths (the one the
    learner just caused)."""
    order = {pid: index for index, pid in enumerate(ended)}
    died: dict[str, dict[int, int]] = {}  # how -> pid -> users
    other: dict[str, int] = {}
    for seen in lost:
        dead = [pid for pid in seen.holders if pid not in alive]
        if seen.error is not None:
            other["error"] = other.get("error", 0) + 1
        elif (seen.holders & alive) - {seen.pid}:
            # Part of their state sits in another live process: the routing spread it,
            # and no kill or restart would have brought it back (say, after a switch
            # from round-robin to sticky, a dead pid among the holders is not the cause).
            other["elsewhere"] = other.get("elsewhere", 0) + 1
        elif dead:
            pid = max(dead, key=lambda p: order.get(p, -1))
            pids = died.setdefault(ended.get(pid, "gone"), {})
            pids[pid] = pids.get(pid, 0) + 1
        else:
            other["other"] = other.get("other", 0) + 1
    return died, other


def _causes(died: dict[str, dict[int, int]], other: dict[str, int]) -> list[tuple[int, str]]:
    """Each cause in words, with the number of users it lost: deaths first, in the order
    they were first seen, then the others."""
    causes = []
    for how, pids in died.items():
        verb = _(f"dashboard.ended.{how}")
        if len(pids) == 1:
            cause = _("dashboard.cause.died", pid=next(iter(pids)), how=verb)
        else:
            cause = _("dashboard.cause.died_many", pids=", ".join(map(str, sorted(pids))), how=verb)
        causes.append((sum(pids.values()), cause))
    return causes + [(count, _(f"dashboard.cause.{name}")) for name, count in other.items()]
