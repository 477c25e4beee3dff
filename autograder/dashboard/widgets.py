"""The dashboard's widgets: :class:`Dashboard`, controls that drive a cluster and panels
that show it (what they show is computed by :mod:`.watch` and drawn by :mod:`.views`).

A burst redraws the picture every ``batch`` requests, not after each one, so 1,000 requests
cost about ten redraws; ``dashboard.timings`` keeps what they cost.
"""

from __future__ import annotations

import html
import time
from pathlib import Path

from ..backing import RedisService
from ..cluster import Cluster
from ..feedback import describe_call
from ..messages import _
from ..messages.names import router_name
from ..workloads import Workload, resolve, user_names
from .controls import Controls
from .views import (
    processes_html,
    redis_html,
    router_html,
    short,
    status_html,
    text,
    users_html,
)
from .watch import LAST, ClusterWatch, Picture

BATCH = 100  # requests between two redraws during a burst

_live: dict[Path, Dashboard] = {}  # for_app dashboards by app file: a rerun replaces one


class Dashboard(Controls):
    """A live picture of ``cluster`` with controls that break it (see the module doc).

    ``workload``: a :class:`~autograder.workloads.Workload`, ``"cart"``, ``"counter"``, or
    None to pick one from the app's functions. ``batch``: requests between two redraws.
    """

    def __init__(
        self,
        cluster: Cluster,
        workload: Workload | str | None = None,
        *,
        seed: int | None = None,
        requests: int = 30,
        users: int = 10,
        batch: int = BATCH,
        last: int = LAST,
    ):
        started = time.perf_counter()
        self.cluster = cluster
        self.workload = resolve(workload, cluster, cluster.router.seed if seed is None else seed)
        self.watch = ClusterWatch(cluster, self.workload, last=last)
        self.batch = max(1, batch)
        self.timings: dict[str, float] = {}
        self.updates = 0  # redraws so far
        self.last_action = _("dashboard.action.ready")
        self._owned: list = []  # what close() closes: for_app's cluster and Redis
        self._turn = 0  # send_one alternates a change and a look, user by user
        self._syncing = False
        self._build(requests, users)
        self.refresh(announce=False)
        self.timings["build"] = time.perf_counter() - started

    @classmethod
    def for_app(
        cls,
        app: str | Path,
        *,
        processes: int = 3,
        router: str = "round-robin",
        seed: int = 0,
        workload: Workload | str | None = None,
        redis: RedisService | None = None,
        **options,
    ) -> Dashboard:
        """A dashboard with its own cluster of ``app`` and, unless ``redis`` is given, its
        own empty Redis, so no earlier data makes users look as if they lost something.
        Running the same cell again closes the previous dashboard of the same file."""
        path = Path(app).resolve()
        previous = _live.pop(path, None)
        if previous is not None:
            previous.close()
        # url="" means "embedded", even when REDIS_URL points at the notebook's Redis.
        service = redis if redis is not None else RedisService(url="")
        try:
            cluster = Cluster(
                path,
                processes=processes,
                router=router,
                seed=seed,
                redis=service,
                capture_output=True,  # prints would land in the Lab log console, unseen
            )
        except BaseException:
            if redis is None:
                service.close()
            raise
        dashboard = cls(cluster, workload, seed=seed, **options)
        dashboard._owned = [cluster] + ([service] if redis is None else [])
        _live[path] = dashboard
        return dashboard

    def _repr_mimebundle_(self, **kwargs):
        """The widget, and the whole state as text where widgets do not render (a saved
        notebook on GitHub, nbconvert to text, a screen reader reading the raw output)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = self.text()
        return bundle

    def _guarded(self, action) -> None:
        """Run a control's action. A widget callback's exception would only reach Lab's
        log console, so show it in the status line instead."""
        try:
            action()
        except Exception as exc:  # noqa: BLE001 -- the learner must see every failure
            self._busy(False)
            self.last_action = _("dashboard.action.failed", error=f"{type(exc).__name__}: {exc}")
            self.refresh(announce=False)

    def _busy(self, busy: bool) -> None:
        for control in self.controls:
            control.disabled = busy

    def _router_picked(self, change) -> None:
        if not self._syncing and change["new"] != self.cluster.router.kind:
            self._guarded(lambda: self.set_router(change["new"]))

    def _show_text(self, shown: bool) -> None:
        self.text_view.layout.display = "block" if shown else "none"
        self.refresh(announce=False)

    # -- traffic --------------------------------------------------------------------------
    def send(self, requests: int | None = None, users: int | None = None) -> None:
        """A burst: ``requests`` requests as ``users`` users. Each user's last request
        is a look at their state, so the users panel is current afterwards."""
        requests = self.requests_input.value if requests is None else requests
        names = user_names(self.users_input.value if users is None else users)
        looks = min(requests, len(names))
        plan = [
            (names[i % len(names)], self.workload.rng.random() < 0.2)
            for i in range(requests - looks)
        ]
        plan += [(name, True) for name in names[:looks]]
        started = time.perf_counter()
        updates = self.updates
        self._busy(True)
        self.progress.max, self.progress.value = max(1, requests), 0
        for done, (user, look) in enumerate(plan, 1):
            handler, args = self.workload.read(user) if look else self.workload.write(user)
            self.cluster.send(handler, args, user=user)
            if done % self.batch == 0 and done < requests:
                self.progress.value = done
                self.last_action = _("dashboard.action.sending", done=done, requests=requests)
                self.refresh(announce=False)
        self.progress.value = requests
        self._busy(False)
        seconds = time.perf_counter() - started
        self.last_action = _(
            "dashboard.action.sent", requests=requests, users=len(names), seconds=seconds
        )
        self.refresh(announce=False)
        self.timings["burst"] = time.perf_counter() - started
        self.timings["burst_requests"] = requests
        self.timings["burst_updates"] = self.updates - updates

    def send_one(self):
        """One request by one user: a change, then a look, then the next user."""
        names = user_names(self.users_input.value)
        user = names[self._turn // 2 % len(names)]
        look = self._turn % 2 == 1
        self._turn += 1
        handler, args = self.workload.read(user) if look else self.workload.write(user)
        served = self.cluster.send(handler, args, user=user)
        answer = short(served.value) if served.ok else served.error["kind"]
        self.last_action = _(
            "dashboard.action.sent_one",
            call=describe_call(handler, args),
            user=user,
            pid=served.pid,
            value=answer,
        )
        self.refresh(announce=False)
        return served

    # -- breaking things ----------------------------------------------------------------
    def _selected(self, which: int | None) -> int:
        return self.process_picker.value if which is None else which

    def _act(self, operation, message: str, **values) -> None:
        before = list(self.cluster.pids)
        operation()
        after = self.cluster.pids
        old, new = self.watch.acted(before)
        self.last_action = _(
            message,
            old=", ".join(map(str, old)),
            new=", ".join(map(str, new)),
            count=len(after),
            pids=", ".join(map(str, after)),
            **values,
        )
        self.refresh(announce=False)

    def kill(self, which: int | None = None) -> None:
        """Kill a process (pid or slot; default: the one picked in the dashboard)."""
        which = self._selected(which)
        self._act(lambda: self.cluster.kill(which), "dashboard.action.killed")

    def restart(self, which: int | None = None) -> None:
        which = self._selected(which)
        self._act(lambda: self.cluster.restart(which), "dashboard.action.restarted")

    def restart_all(self) -> None:
        self._act(lambda: self.cluster.restart(), "dashboard.action.restarted_all")

    def rolling_restart(self) -> None:
        self._act(self.cluster.rolling_restart, "dashboard.action.rolling")

    def scale(self, count: int) -> None:
        self._act(lambda: self.cluster.scale(count), "dashboard.action.scaled")

    def scale_up(self) -> None:
        self.scale(len(self.cluster.processes) + 1)

    def scale_down(self) -> None:
        self.scale(len(self.cluster.processes) - 1)

    def set_router(self, kind: str) -> None:
        self._act(
            lambda: self.cluster.set_router(kind),
            "dashboard.action.router",
            router=router_name(kind),
        )

    # -- keeping up -----------------------------------------------------------------------
    def refresh(self, announce: bool = True) -> None:
        """Redraw every panel (the Refresh button: after requests sent from cells)."""
        started = time.perf_counter()
        if announce:
            self.last_action = _("dashboard.action.refreshed")
            self.watch.new = set()
        picture = self._picture()
        views = {
            self.header: picture.header,
            self.status: status_html(picture),
            self.processes_view: processes_html(picture),
            self.router_view: router_html(picture),
            self.redis_view: redis_html(picture),
            self.users_view: users_html(picture),
        }
        if self.text_view.layout.display != "none":
            views[self.text_view] = (
                f"<pre role='region' aria-label='{html.escape(_('dashboard.panel.text'))}' "
                f"style='white-space:pre-wrap;margin:0'>{html.escape(text(picture))}</pre>"
            )
        for view, value in views.items():
            if view.value != value:  # an unchanged panel costs no message to the page
                view.value = value
        self._sync_pickers()
        self.updates += 1
        self.timings["update"] = time.perf_counter() - started

    def _sync_pickers(self) -> None:
        options = [
            (_("dashboard.control.option", name=p.name, pid=p.pid), p.pid)
            for p in self.cluster.processes
        ]
        self._syncing = True
        try:
            with self.process_picker.hold_sync():
                slot = self.process_picker.index or 0
                if list(self.process_picker.options) != options:
                    self.process_picker.options = options
                    self.process_picker.index = min(slot, len(options) - 1) if options else None
            if self.router_picker.value != self.cluster.router.kind:
                self.router_picker.value = self.cluster.router.kind
        finally:
            self._syncing = False

    def _picture(self) -> Picture:
        return self.watch.picture(self.last_action)

    def text(self) -> str:
        """Everything the dashboard shows, as plain text."""
        return text(self._picture())

    def close(self) -> None:
        """Stop what :meth:`for_app` started (processes, Redis) and disable the controls."""
        for owned in self._owned:
            owned.close()
        self._owned = []
        for path, dashboard in list(_live.items()):
            if dashboard is self:
                del _live[path]
        self._busy(True)
        self.status.value = status_html(None, _("dashboard.action.closed"))

    def __repr__(self) -> str:
        return f"<Dashboard of {self.cluster!r}>"
