"""What the dashboard draws, computed without any widget: :class:`ClusterWatch`.

A watch follows one cluster: which pids ended and how (killed, restarted, scaled away),
which pids the last action started, and every served request, which it shows its workload
in order. :meth:`ClusterWatch.picture` is one consistent reading of all that as a
:class:`Picture`, which :mod:`.views` draws as HTML and as text. Nothing here imports
ipywidgets, so what the dashboard shows is tested on its own (tests/test_dashboard_watch.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..messages import _
from ..messages.names import redis_name, router_name
from ..release import RELEASE_ID
from ..users_report import UsersReport, users_report
from ..workloads import Workload

LAST = 10  # requests drawn in the router view
MAX_ROWS = 12  # users and Redis keys listed before "... and N more"


@dataclass
class ProcessView:
    name: str
    pid: int
    slot: int
    uptime: float
    served: int
    memory: dict[str, str]
    new: bool = False
    release: str = ""  # the release id the process runs from (07: build, release, run)


@dataclass
class Picture:
    """One consistent reading of the cluster, drawn as HTML and as text."""

    header: str
    action: str
    users: UsersReport
    processes: list[ProcessView]
    router: str
    last: list
    ended: dict[int, str]
    redis_kind: str
    keys: list[dict]
    key_count: int


class ClusterWatch:
    """Follows ``cluster`` for a dashboard: what ended, what is new, what users saw."""

    def __init__(self, cluster, workload: Workload, *, last: int = LAST):
        self.cluster = cluster
        self.workload = workload
        self.last = last
        self.log_seen = 0  # the workload has observed cluster.log up to here
        self.events_seen = len(cluster.events)
        self.slot_pids = list(cluster.pids)
        self.ended: dict[int, str] = {}  # gone pid -> kill | restart | scale | gone
        self.new: set[int] = set()  # pids the last action started

    def acted(self, before: list[int]) -> tuple[list[int], list[int]]:
        """After an action: the pids it ended and the pids it started (these are new)."""
        after = self.cluster.pids
        self.new = set(after) - set(before)
        old = [pid for pid in before if pid not in after]
        return old, [pid for pid in after if pid not in before]

    def catch_up(self) -> None:
        """Note which pids ended and how, then show the workload every new request
        (also those sent from notebook cells)."""
        cluster = self.cluster
        after = cluster.pids
        events = cluster.events[self.events_seen :]
        self.events_seen = len(cluster.events)
        how = {e.pid: e.action for e in events if e.action in ("kill", "restart")}
        for slot, old in enumerate(self.slot_pids):
            if slot >= len(after):
                self.ended[old] = "scale"
            elif after[slot] != old:
                self.ended[old] = how.get(after[slot], "gone")
        self.slot_pids = list(after)
        for served in cluster.log[self.log_seen :]:
            self.workload.observe(served)
        self.log_seen = len(cluster.log)

    def picture(self, action: str) -> Picture:
        """Everything the dashboard shows now, with ``action`` as its status line."""
        self.catch_up()
        cluster = self.cluster
        alive = set(cluster.pids)
        keys = cluster.redis.snapshot(limit=MAX_ROWS + 1) if cluster.processes else []
        return Picture(
            header=_(
                "dashboard.title",
                app=cluster.app.name,
                processes=len(cluster.processes),
                router=router_name(cluster.router.kind),
                redis=redis_name(cluster.redis.kind),
            ),
            action=action,
            users=users_report(self.workload, alive, self.ended),
            processes=[
                ProcessView(
                    p.name,
                    p.pid,
                    p.slot,
                    time.monotonic() - p.started_at,
                    p.requests_served,
                    p.memory_summary(),
                    p.pid in self.new,
                    p.env.get(RELEASE_ID, ""),  # what it was started with
                )
                for p in cluster.processes
            ],
            router=router_name(cluster.router.kind),
            last=cluster.log[-self.last :] if self.last else [],
            ended=dict(self.ended),
            redis_kind=redis_name(cluster.redis.kind),
            keys=keys[:MAX_ROWS],
            key_count=cluster.redis.admin.dbsize() if cluster.processes else 0,
        )
