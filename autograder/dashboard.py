"""A cluster you can see and break: one ipywidgets dashboard for the course's notebooks.

    from autograder.dashboard import Dashboard

    dashboard = Dashboard.for_app("cart.py", processes=3)  # its own cluster and Redis
    dashboard                                               # the last line of a cell shows it

or ``Dashboard(cluster)`` for a cluster made in the notebook. It shows one card per process
(pid, uptime, requests served, module globals), the router with the last requests drawn to
the process that served them, the Redis keys, and what every simulated user saw: "3 of 10
users lost their cart when pid 1002 was killed". Its controls send requests, kill, restart,
scale and switch the router. Every control is also a method (``dashboard.kill(1002)``), and
``dashboard.text()`` is the whole picture as plain text (for screen readers and tests).

What a user "should see" comes from a workload (``autograder.workloads``): ready ones for
the cart and the counter, picked from the app's functions, and a fallback for any app.

A burst redraws the picture every ``batch`` requests, not after each one, so 1,000 requests
cost about ten redraws; ``dashboard.timings`` keeps what they cost.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets

from .backing import RedisService
from .cluster import ROUTERS, Cluster
from .messages import _
from .release import RELEASE_ID
from .workloads import Seen, UsersReport, Workload, resolve, user_names, users_report

BATCH = 100  # requests between two redraws during a burst
LAST = 10  # requests drawn in the router view
MAX_ROWS = 12  # users and Redis keys listed before "... and N more"
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")
BORDER = "1px solid var(--jp-border-color1, #ccc)"
TABLE = "style='border-collapse:separate;border-spacing:12px 2px;margin-left:-12px'"

_live: dict[Path, Dashboard] = {}  # for_app dashboards by app file: a rerun replaces one


def short(value, limit: int = 70) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def call_text(handler: str, args: dict) -> str:
    return f"{handler}({', '.join(f'{k}={v!r}' for k, v in args.items())})"


class Dashboard:
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
        self.batch = max(1, batch)
        self.last = last
        self.timings: dict[str, float] = {}
        self.updates = 0  # redraws so far
        self.last_action = _("dashboard.action.ready")
        self._owned: list = []  # what close() closes: for_app's cluster and Redis
        self._log_seen = 0  # the workload has observed cluster.log up to here
        self._events_seen = len(cluster.events)
        self._slot_pids = list(cluster.pids)
        self._ended: dict[int, str] = {}  # gone pid -> kill | restart | scale | gone
        self._new: set[int] = set()  # pids the last action started
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

    # -- widgets --------------------------------------------------------------------------
    def _build(self, requests: int, users: int) -> None:
        def button(name: str, action, style: str = "") -> widgets.Button:
            control = widgets.Button(
                description=_(f"dashboard.control.{name}"),
                tooltip=_(f"dashboard.tip.{name}"),
                button_style=style,
                layout=widgets.Layout(width="auto"),
            )
            control.on_click(lambda _button: self._guarded(action))
            return control

        narrow = widgets.Layout(width="190px")
        self.requests_input = widgets.BoundedIntText(
            value=requests,
            min=1,
            max=100_000,
            description=_("dashboard.control.requests"),
            tooltip=_("dashboard.tip.requests"),
            layout=narrow,
        )
        self.users_input = widgets.BoundedIntText(
            value=users,
            min=1,
            max=1_000,
            description=_("dashboard.control.users"),
            tooltip=_("dashboard.tip.users"),
            layout=narrow,
        )
        self.send_button = button("send", self.send, "primary")
        self.send_one_button = button("send_one", self.send_one)
        self.process_picker = widgets.Dropdown(
            description=_("dashboard.control.process"),
            tooltip=_("dashboard.tip.process"),
            layout=widgets.Layout(width="240px"),
        )
        self.kill_button = button("kill", self.kill, "danger")
        self.restart_button = button("restart", self.restart, "warning")
        self.restart_all_button = button("restart_all", self.restart_all)
        self.rolling_button = button("rolling", self.rolling_restart)
        self.scale_up_button = button("scale_up", self.scale_up)
        self.scale_down_button = button("scale_down", self.scale_down)
        self.router_picker = widgets.Dropdown(
            options=list(ROUTERS),
            value=self.cluster.router.kind,
            description=_("dashboard.control.router"),
            tooltip=_("dashboard.tip.router"),
            layout=narrow,
        )
        self.router_picker.observe(self._router_picked, names="value")
        self.refresh_button = button("refresh", self.refresh)
        self.text_toggle = widgets.ToggleButton(
            description=_("dashboard.control.text"), tooltip=_("dashboard.tip.text")
        )
        self.text_toggle.observe(lambda change: self._show_text(change["new"]), names="value")
        self.progress = widgets.IntProgress(
            value=0, min=0, max=1, description=_("dashboard.control.progress")
        )
        self.controls = [
            self.requests_input,
            self.users_input,
            self.send_button,
            self.send_one_button,
            self.process_picker,
            self.kill_button,
            self.restart_button,
            self.restart_all_button,
            self.rolling_button,
            self.scale_up_button,
            self.scale_down_button,
            self.router_picker,
            self.refresh_button,
        ]
        self.header = widgets.HTML()
        self.status = widgets.HTML()
        self.processes_view = widgets.HTML()
        self.router_view = widgets.HTML()
        self.redis_view = widgets.HTML()
        self.users_view = widgets.HTML()
        self.text_view = widgets.HTML(layout=widgets.Layout(display="none"))
        row = widgets.Layout(flex_flow="row wrap", align_items="center")
        self.widget = widgets.VBox(
            [
                self.header,
                widgets.HBox([*self.controls[:4], self.progress], layout=row),
                widgets.HBox(self.controls[4:11], layout=row),
                widgets.HBox(
                    [self.router_picker, self.refresh_button, self.text_toggle], layout=row
                ),
                self.status,
                self.processes_view,
                self.router_view,
                self.users_view,
                self.redis_view,
                self.text_view,
            ],
            layout=widgets.Layout(border=BORDER, padding="8px"),
        )
        self.widget.add_class("autograder-dashboard")

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
            call=call_text(handler, args),
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
        self._new = set(after) - set(before)
        old = [pid for pid in before if pid not in after]
        new = [pid for pid in after if pid not in before]
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
        self._act(lambda: self.cluster.set_router(kind), "dashboard.action.router", router=kind)

    # -- keeping up -----------------------------------------------------------------------
    def _catch_up(self) -> None:
        """Note which pids ended and how, then show the workload every new request
        (also those sent from notebook cells)."""
        after = self.cluster.pids
        events = self.cluster.events[self._events_seen :]
        self._events_seen = len(self.cluster.events)
        how = {e.pid: e.action for e in events if e.action in ("kill", "restart")}
        for slot, old in enumerate(self._slot_pids):
            if slot >= len(after):
                self._ended[old] = "scale"
            elif after[slot] != old:
                self._ended[old] = how.get(after[slot], "gone")
        self._slot_pids = list(after)
        for served in self.cluster.log[self._log_seen :]:
            self.workload.observe(served)
        self._log_seen = len(self.cluster.log)

    def refresh(self, announce: bool = True) -> None:
        """Redraw every panel (the Refresh button: after requests sent from cells)."""
        started = time.perf_counter()
        if announce:
            self.last_action = _("dashboard.action.refreshed")
            self._new = set()
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
        self._catch_up()
        cluster = self.cluster
        alive = set(cluster.pids)
        keys = cluster.redis.snapshot(limit=MAX_ROWS + 1) if cluster.processes else []
        return Picture(
            header=_(
                "dashboard.title",
                app=cluster.app.name,
                processes=len(cluster.processes),
                router=cluster.router.kind,
                redis=cluster.redis.kind,
            ),
            action=self.last_action,
            users=users_report(self.workload, alive, self._ended),
            processes=[
                ProcessView(
                    p.name,
                    p.pid,
                    p.slot,
                    time.monotonic() - p.started_at,
                    p.requests_served,
                    p.memory_summary(),
                    p.pid in self._new,
                    p.env.get(RELEASE_ID, ""),  # what it was started with
                )
                for p in cluster.processes
            ],
            router=cluster.router.kind,
            last=cluster.log[-self.last :] if self.last else [],
            ended=dict(self._ended),
            redis_kind=cluster.redis.kind,
            keys=keys[:MAX_ROWS],
            key_count=cluster.redis.admin.dbsize() if cluster.processes else 0,
        )

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


# -- what the panels show ------------------------------------------------------------------
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


def _colour(slot: int) -> str:
    return PALETTE[slot % len(PALETTE)]


def _ttl(ttl: int) -> str:
    return _("dashboard.redis.no_ttl") if ttl < 0 else _("dashboard.redis.seconds", ttl=ttl)


def _saw(seen: Seen) -> str:
    if seen.error is not None:
        return _("dashboard.users.error", kind=seen.error["kind"], message=seen.error["message"])
    return short(seen.value, 50)


def _verdict(seen: Seen) -> str:
    return _(
        {True: "dashboard.verdict.kept", False: "dashboard.verdict.lost"}.get(
            seen.ok, "dashboard.verdict.unjudged"
        )
    )


def text(picture: Picture) -> str:
    lines = [picture.header, _("dashboard.text.action", action=picture.action)]
    lines.append(_("dashboard.text.users", summary=picture.users.line))
    for seen in picture.users.rows:
        lines.append(
            _(
                "dashboard.text.user",
                user=seen.user,
                saw=_saw(seen),
                expected=short(seen.expected, 50) if seen.judged else "?",
                pid=seen.pid,
                verdict=_verdict(seen),
            )
        )
    lines.append(_("dashboard.text.processes"))
    for p in picture.processes:
        memory = ", ".join(f"{k}={v}" for k, v in p.memory.items()) or "-"
        lines.append(
            _(
                "dashboard.text.process",
                name=p.name,
                pid=p.pid,
                seconds=p.uptime,
                served=p.served,
                memory=memory,
            )
            + (_("dashboard.text.release", release=p.release) if p.release else "")
        )
    lines.append(_("dashboard.text.router", router=picture.router))
    lines += [f"  {_request_text(served)}" for served in picture.last] or [
        f"  {_('dashboard.router.none')}"
    ]
    lines.append(_("dashboard.text.redis", kind=picture.redis_kind, keys=picture.key_count))
    for row in picture.keys:
        lines.append(
            _(
                "dashboard.text.key",
                name=row["key"],
                type=row["type"],
                ttl=_ttl(row["ttl"]),
                value=short(row["value"]),
            )
        )
    return "\n".join(lines)


def _request_text(served) -> str:
    return _(
        "dashboard.router.request",
        seq=served.seq,
        call=call_text(served.handler, served.args),
        user=served.user or "-",
        pid=served.pid,
    )


def _section(title: str, body: str, **style: str) -> str:
    css = ";".join(f"{k.replace('_', '-')}:{v}" for k, v in style.items())
    return (
        f"<section role='region' aria-label='{html.escape(title)}' style='{css}'>"
        f"<div style='font-weight:600;margin-bottom:4px'>{html.escape(title)}</div>{body}"
        "</section>"
    )


def status_html(picture: Picture | None, action: str | None = None) -> str:
    esc = html.escape
    headline = ""
    if picture is not None:
        line = esc(picture.users.line)
        headline = f"<div style='font-size:1.15em;font-weight:600'>{line}</div>"
    return (
        f"<div role='status' aria-live='polite' aria-label='{esc(_('dashboard.panel.status'))}' "
        "class='autograder-dashboard-status'>"
        f"{headline}<div>{esc(action or picture.action)}</div></div>"
    )


def processes_html(picture: Picture) -> str:
    esc = html.escape
    cards = []
    for p in picture.processes:
        label = _("dashboard.card.label", name=p.name, pid=p.pid)
        badge = (
            f" <span style='border:1px solid currentColor;border-radius:8px;padding:0 5px;"
            f"font-size:0.85em'>{esc(_('dashboard.card.new'))}</span>"
            if p.new
            else ""
        )
        memory = "<br>".join(f"{esc(k)} = {esc(v)}" for k, v in p.memory.items())
        cards.append(
            f"<div role='group' aria-label='{esc(label)}' class='autograder-process' "
            f"data-pid='{p.pid}' style='border:{BORDER};border-left:6px solid "
            f"{_colour(p.slot)};border-radius:6px;padding:6px 10px;flex:1 1 180px;"
            "max-width:340px'>"
            f"<div><b>{esc(p.name)}</b> · pid <b>{p.pid}</b>{badge}</div>"
            + (
                f"<div class='autograder-release'>"
                f"{esc(_('dashboard.card.release', release=p.release))}</div>"
                if p.release
                else ""
            )
            + f"<div>{esc(_('dashboard.card.uptime', seconds=p.uptime))} · "
            f"{esc(_('dashboard.card.served', count=p.served))}</div>"
            f"<div style='margin-top:3px'>{esc(_('dashboard.card.memory'))}</div>"
            "<code style='font-size:0.85em;white-space:pre-wrap;overflow-wrap:anywhere'>"
            f"{memory or esc(_('dashboard.card.memory_empty'))}</code></div>"
        )
    body = f"<div style='display:flex;flex-wrap:wrap;gap:8px'>{''.join(cards)}</div>"
    return _section(_("dashboard.panel.processes"), body)


def router_html(picture: Picture) -> str:
    """An SVG: the router on the left, one box per process on the right, and a line from
    the router to the process for each of the last requests (newest drawn boldest)."""
    esc = html.escape
    title = _("dashboard.panel.router", router=picture.router)
    if not picture.last:
        return _section(title, f"<div>{esc(_('dashboard.router.none'))}</div>")
    boxes = [(p.pid, f"{p.name} · pid {p.pid}", _colour(p.slot), False) for p in picture.processes]
    alive = {p.pid for p in picture.processes}
    for served in picture.last:  # processes that served a recent request and are gone now
        if served.pid not in alive and all(box[0] != served.pid for box in boxes):
            how = _(f"dashboard.ended.{picture.ended.get(served.pid, 'gone')}")
            label = _("dashboard.router.gone", pid=served.pid, how=how)
            boxes.append((served.pid, label, "currentColor", True))
    rows_of = {pid: [s for s in picture.last if s.pid == pid] for pid, *_rest in boxes}
    row_height, head, gap, left, right, width = 15, 18, 8, 96, 230, 560
    y, parts, lines = 4, [], []
    ends: dict[int, float] = {}
    for pid, label, colour, gone in boxes:
        rows = rows_of[pid]
        height = head + row_height * max(1, len(rows)) + 4
        dash = " stroke-dasharray='5 3'" if gone else ""
        strike = " text-decoration='line-through'" if gone else ""
        parts.append(
            f"<rect x='{right}' y='{y}' width='{width - right - 2}' height='{height}' rx='5' "
            f"fill='none' stroke='{colour}' stroke-width='2'{dash}/>"
            f"<text x='{right + 8}' y='{y + 13}' font-weight='600'{strike}>{esc(label)}</text>"
        )
        for index, served in enumerate(rows):
            row_y = y + head + row_height * index + 11
            ends[served.seq] = row_y - 4
            row = _(
                "dashboard.router.row",
                seq=served.seq,
                handler=served.handler,
                user=served.user or "-",
            )
            parts.append(f"<text x='{right + 14}' y='{row_y}' font-size='11'>{esc(row)}</text>")
        y += height + gap
    total = max(y, 44)
    middle = total / 2
    newest = picture.last[-1].seq
    for age, served in enumerate(reversed(picture.last)):
        opacity = max(0.25, 1 - age * 0.08)
        bold = 2.6 if served.seq == newest else 1.2
        lines.append(
            f"<path d='M {left} {middle} C {left + 70} {middle}, {right - 70} {ends[served.seq]}, "
            f"{right} {ends[served.seq]}' fill='none' stroke='var(--jp-brand-color1, #1976d2)' "
            f"stroke-width='{bold}' opacity='{opacity:.2f}'/>"
        )
    router = (
        f"<rect x='2' y='{middle - 16}' width='{left - 2}' height='32' rx='6' fill='none' "
        f"stroke='currentColor' stroke-width='2'/><text x='{left / 2 + 1}' y='{middle + 4}' "
        f"text-anchor='middle' font-weight='600'>{esc(_('dashboard.router.box'))}</text>"
    )
    described = "; ".join(_request_text(served) for served in picture.last)
    label = _("dashboard.router.label", count=len(picture.last), requests=described)
    svg = (
        f"<svg role='img' aria-label='{esc(label)}' viewBox='0 0 {width} {total}' "
        f"style='width:100%;max-width:{width}px;font-family:var(--jp-ui-font-family);"
        f"font-size:12px' fill='currentColor'>{''.join(lines)}{router}{''.join(parts)}</svg>"
    )
    return _section(title, svg)


def redis_html(picture: Picture) -> str:
    esc = html.escape
    title = _("dashboard.panel.redis", kind=picture.redis_kind, keys=picture.key_count)
    if not picture.keys:
        return _section(title, f"<div>{esc(_('dashboard.redis.empty'))}</div>")
    head = "".join(
        f"<th style='text-align:left'>{esc(_(f'dashboard.redis.{name}'))}</th>"
        for name in ("key", "type", "ttl", "value")
    )
    rows = "".join(
        f"<tr><td><code>{esc(row['key'])}</code></td><td>{esc(row['type'])}</td>"
        f"<td>{esc(_ttl(row['ttl']))}</td><td><code>{esc(short(row['value'], 60))}</code></td></tr>"
        for row in picture.keys
    )
    more = picture.key_count - len(picture.keys)
    tail = f"<div>{esc(_('dashboard.redis.more', count=more))}</div>" if more > 0 else ""
    table = f"<table {TABLE}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{tail}"
    return _section(title, table)


def users_html(picture: Picture) -> str:
    esc = html.escape
    report = picture.users
    body = f"<div class='autograder-users-line'>{esc(report.line)}</div>"
    if report.rows:
        names = ("user", "saw", "expected", "pid", "verdict")
        head = "".join(
            f"<th style='text-align:left'>{esc(_(f'dashboard.users.{n}'))}</th>" for n in names
        )
        rows = []
        for seen in report.rows[:MAX_ROWS]:
            expected = short(seen.expected, 50) if seen.judged else "?"
            weight = "font-weight:600" if seen.ok is False else ""
            rows.append(
                f"<tr style='{weight}'><td>{esc(seen.user)}</td><td><code>{esc(_saw(seen))}"
                f"</code></td><td><code>{esc(expected)}</code></td><td>{seen.pid}</td>"
                f"<td>{esc(_verdict(seen))}</td></tr>"
            )
        more = len(report.rows) - MAX_ROWS
        tail = f"<div>{esc(_('dashboard.users.more', count=more))}</div>" if more > 0 else ""
        body += f"<table {TABLE}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
        body += "</table>"
        body += tail
    return _section(_("dashboard.panel.users"), body)
