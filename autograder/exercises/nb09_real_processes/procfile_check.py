"""09-real-processes q2: the learner's Procfile, graded by starting it.

The learner writes only the Procfile; the app is the course's own ``shop.py`` (the
notebook's section-3 shop, kept in ``given.py``), the one every check deploys. The
Procfile is read as data (:mod:`autograder.procfile`): each line the course understands
becomes the course's own command (gunicorn with the course's
configuration, the course's Flask and worker entry points), and honcho starts them. No
line of the learner's is ever handed to a shell.

The verdict comes only from what the checker observes itself: HTTP answers on the
deployment's ``$PORT``, the processes in /proc (gunicorn workers are the master's
children; a type's processes carry its name in their environment), and the orders'
charges, read from Redis with the checker's own client. The logs are shown to explain a
deployment that did not start, never to decide.
"""

from __future__ import annotations

import random
import signal
import tempfile
import time
from pathlib import Path

import requests

from ... import procfile
from ...deploy import Deployment, shorten
from ...messages import _
from ...redis_server import DeploymentRedis
from ...result import CORRECT, INCORRECT, NOT_ATTEMPTED, Result
from .given import SHOP, SHOP_FILE

VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2,)
START_SECONDS = 15.0  # a ceiling for a loaded machine; an idle one starts in about 1.5 s
SETTLE_SECONDS = 0.5  # a web type listening elsewhere than $PORT: how long until "nothing"
CHARGE_GRACE_SECONDS = 3.0  # this long without a new charge: "not charged"
REQUEST_SECONDS = 4.0
STOP_SECONDS = 5.0  # how long honcho has to stop everything after a process died
MIN_WEB_WORKERS = 2
SCALE = 2  # honcho -c worker=2

# Reason codes of q2 (messages: reason.<code> and next.<code> in nb09.py).
NOT_UNDERSTOOD = "procfile_not_understood"
UNKNOWN_TYPE = "procfile_unknown_type"
UNKNOWN_APP = "procfile_unknown_app"
DID_NOT_START = "procfile_did_not_start"
NOT_ON_PORT = "nothing_on_port"
ONE_WEB_PROCESS = "one_web_process"
WEB_ERROR = "web_error"
NOT_CHARGED = "orders_not_charged"
CHARGED_WRONG = "orders_charged_wrongly"
NO_WORKER_PROCESS = "no_worker_process"
NOT_SCALED = "workers_not_scaled"
NOT_WRITTEN, NOT_FINISHED = "not_written", "not_finished"

USERS = ["ana", "bo", "chen", "dara", "eli"]
KEYS = {"queue": "jobs:queue", "processing": "jobs:processing", "charged": "orders:charged"}


class Stop(Exception):
    def __init__(self, result: Result):
        self.result = result


class Run:
    """One part's run of a Procfile: deployments, orders, chaos, and a log of it all."""

    def __init__(self, processes: dict, store: DeploymentRedis, scratch: Path, base: dict):
        self.processes = processes
        self.store = store
        self.scratch = scratch
        self.base = base
        self.log: list[str] = []
        self.deployments = 0
        self.web: Deployment | None = None
        self.orders: dict[str, tuple[str, int]] = {}  # id -> (user, amount)

    # -- deployments ---------------------------------------------------------------------
    def deploy(self, scale: dict[str, int] | None = None) -> Deployment:
        self.deployments += 1
        root = self.scratch / f"deployment-{self.deployments}"
        release = root / "release"
        release.mkdir(parents=True)
        (release / SHOP_FILE).write_text(SHOP, encoding="utf-8")
        (release / SHOP_FILE).chmod(0o444)  # the release is read-only, as deploy_app's
        # web first: honcho gives the first type the deployment's port as $PORT
        kinds = sorted(self.processes, key=lambda kind: kind != "web")
        lines = {kind: procfile.command(self.processes[kind], release) for kind in kinds}
        self.web = Deployment(
            lines, root=root, env={"REDIS_URL": self.store.url}, scale=scale
        ).start()
        self._wait_until_up()
        self.note(
            "09-real-processes.procfile.deployed",
            n=self.deployments,
            scale=", ".join(f"{k}={n}" for k, n in (scale or {}).items()) or "-",
            port=self.web.port,
        )
        return self.web

    def _wait_until_up(self) -> None:
        """Until something answers HTTP on $PORT. What the web type listens on (read in
        /proc) says when to stop waiting sooner: a web type that listens, but not on
        $PORT, or no web type at all once every other type runs."""
        start = time.monotonic()
        elsewhere_since = None
        while True:
            if self.web.exited() is not None:
                raise Stop(self._did_not_start())
            try:
                requests.get(self.web.url + "/", timeout=0.5)
                return
            except requests.RequestException:
                pass
            now = time.monotonic()
            ports = self.web.listening("web")
            if self.web.port in ports:
                elsewhere_since = None  # bound: the app is still being imported
            elif ports or ("web" not in self.processes and self._all_types_running()):
                elsewhere_since = elsewhere_since or now
                if now > elsewhere_since + SETTLE_SECONDS:
                    raise Stop(self._nothing_on_port())
            if now > start + START_SECONDS:
                raise Stop(self._nothing_on_port())
            time.sleep(0.05)

    def _all_types_running(self) -> bool:
        return set(self.processes) <= {p.kind for p in self.web.processes()}

    def _did_not_start(self) -> Result:
        """honcho stopped while starting. A web type bound elsewhere than $PORT is named
        first: that is the line to fix, whatever else went wrong on the way (a fixed
        port may well be taken on the machine)."""
        lines = [line for line in self.web.logs() if "[INFO]" not in line]
        logs = [shorten(line, 110) for line in lines[-6:]]
        if self._why_not_on_port():
            result = self._nothing_on_port()
            result.details += logs
            return result
        return self.incorrect(DID_NOT_START, details=logs)

    def _why_not_on_port(self) -> str:
        web = self.processes.get("web")
        if web is None:
            return _("09-real-processes.procfile.why.no_web")
        if web.form.port is not None:
            return _(
                "09-real-processes.procfile.why.literal_port", line=web.line, port=web.form.port
            )
        return ""

    def _nothing_on_port(self) -> Result:
        why = self._why_not_on_port()
        return self.incorrect(NOT_ON_PORT, port=self.web.port, details=[why] if why else [])

    def stop_deployment(self) -> None:
        killed = self.web.close()  # raises OrphansLeft if a process survives
        self.note("09-real-processes.procfile.stopped", n=self.deployments, count=len(killed))

    # -- what the checker observes ---------------------------------------------------------
    def expect_web_workers(self) -> None:
        """At least two gunicorn workers, counted in /proc (the master's children)."""
        deadline = time.monotonic() + 1.0  # they are forked together: a moment is plenty
        while True:
            workers = self.web.web_workers()
            if len(workers) >= MIN_WEB_WORKERS or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if len(workers) < MIN_WEB_WORKERS:
            serving = len(workers) or len([p for p in self.web.processes() if p.kind == "web"])
            raise Stop(self.incorrect(ONE_WEB_PROCESS, count=serving))
        self.note("09-real-processes.procfile.web_workers", count=len(workers))

    def worker_processes(self) -> list[int]:
        """The worker type's processes that honcho started (not their own children)."""
        procs = [p for p in self.web.processes() if p.kind == "worker"]
        pids = {p.pid for p in procs}
        return [p.pid for p in procs if p.ppid not in pids]

    def post_orders(self, seed: int, count: int) -> None:
        rng = random.Random(seed)
        for n in range(count):
            order_id = f"o-{seed}-{self.deployments}-{n}"
            user, amount = rng.choice(USERS), rng.randint(1, 50)
            form = {"id": order_id, "user": user, "amount": str(amount)}
            what = f"POST /order id={order_id}"
            try:
                reply = requests.post(self.web.url + "/order", data=form, timeout=REQUEST_SECONDS)
            except requests.RequestException as exc:
                raise Stop(
                    self.incorrect(WEB_ERROR, request=what, error=type(exc).__name__)
                ) from None
            if reply.status_code != 200:
                error = f"HTTP {reply.status_code}"
                raise Stop(self.incorrect(WEB_ERROR, request=what, error=error))
            self.orders[order_id] = (user, amount)
        self.note("09-real-processes.procfile.posted", count=count)

    def charged(self) -> int:
        return self.store.admin.scard(KEYS["charged"])

    def wait_until_charged(self, at_least: int | None = None) -> None:
        """Until ``at_least`` orders (every order, by default) are charged; "not charged"
        once no order has been charged for a while."""
        wanted = len(self.orders) if at_least is None else at_least
        done, deadline = -1, 0.0
        while (now := self.charged()) < wanted:
            if now > done:  # progress: the worker is alive and charging
                done, deadline = now, time.monotonic() + CHARGE_GRACE_SECONDS
            if self.web.exited() is not None or time.monotonic() > deadline:
                raise Stop(self._not_charged())
            time.sleep(0.05)

    def _not_charged(self) -> Result:
        details = []
        if "worker" not in self.processes:
            details.append(_("09-real-processes.procfile.why.no_worker"))
        elif not isinstance(self.processes["worker"].form, procfile.WorkerRunner):
            details.append(
                _(
                    "09-real-processes.procfile.why.worker_not_runner",
                    line=self.processes["worker"].line,
                )
            )
        return self.incorrect(
            NOT_CHARGED, charged=self.charged(), count=len(self.orders), details=details
        )

    def expect_charged_once(self) -> None:
        """Every order charged once: the set of charged orders is exactly the orders sent,
        and each user's balance is the sum of their orders (read from Redis by the
        checker)."""
        admin = self.store.admin
        charged = admin.smembers(KEYS["charged"])
        wanted: dict[str, int] = {}
        for user, amount in self.orders.values():
            wanted[user] = wanted.get(user, 0) + amount
        balances = {user: int(admin.hget("balance", user) or 0) for user in wanted}
        if charged != set(self.orders) or balances != wanted:
            user = next((u for u in wanted if balances[u] != wanted[u]), "-")
            raise Stop(
                self.incorrect(
                    CHARGED_WRONG,
                    user=user,
                    balance=balances.get(user, 0),
                    expected=wanted.get(user, 0),
                )
            )
        self.note("09-real-processes.procfile.charged", count=len(self.orders))

    def note(self, key: str, **values) -> None:
        self.log.append(_(key, **values))

    def incorrect(self, reason: str, *, details: list[str] | None = None, **values) -> Result:
        return Result(
            INCORRECT,
            reason,
            summary=_(f"reason.{reason}", **values),
            platform=self.log[-12:],
            details=details or [],
            next_step=_(f"next.{reason}"),
            **self.base,
        )


# == the parts ===================================================================================
def both_types(run: Run, seed: int) -> str:
    """Web answers on $PORT with several gunicorn workers; every order posted through web
    is charged exactly once by the worker type."""
    run.deploy()
    run.expect_web_workers()
    run.post_orders(seed, 6 if seed in VISIBLE_SEEDS else 8)
    run.wait_until_charged()
    run.expect_charged_once()
    return _("09-real-processes.summary.both_types", count=len(run.orders))


def survives_kill(run: Run, seed: int) -> str:
    """kill -9 of the worker process with orders in flight: honcho stops everything; the
    same Procfile is deployed again on the same Redis and every order ends charged once.

    The given shop has no takeover of a job a dead worker held (08 taught that; this
    exercise is about the Procfile, and the shop stays the short one of section 3).
    Between the two deployments the check moves ``jobs:processing`` back to the queue, as
    a platform's restart script would; the shop's charge is idempotent, so a job that was
    charged just before the kill is not charged twice."""
    run.deploy()
    run.post_orders(seed, 10 if seed in VISIBLE_SEEDS else 12)
    run.wait_until_charged(at_least=1)
    workers = run.worker_processes()
    if not workers:
        raise Stop(run.incorrect(NO_WORKER_PROCESS))
    run.web.signal(workers[0], signal.SIGKILL)
    before = run.charged()
    run.note("09-real-processes.procfile.killed", pid=workers[0], charged=before)
    deadline = time.monotonic() + STOP_SECONDS
    while run.web.exited() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    run.stop_deployment()
    admin = run.store.admin
    moved = 0
    while admin.lmove(KEYS["processing"], KEYS["queue"], "RIGHT", "RIGHT") is not None:
        moved += 1
    run.note("09-real-processes.procfile.requeued", count=moved)
    run.deploy()
    run.wait_until_charged()
    run.expect_charged_once()
    return _("09-real-processes.summary.survives_kill", left=len(run.orders) - before)


def scaled(run: Run, seed: int) -> str:
    """``honcho start -c worker=2``: two worker processes, every order charged once, and
    web still answering."""
    run.deploy(scale={"worker": SCALE})
    deadline = time.monotonic() + 2.0
    while len(run.worker_processes()) < SCALE and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = run.worker_processes()
    if len(workers) != SCALE:
        raise Stop(run.incorrect(NOT_SCALED, count=len(workers)))
    run.note("09-real-processes.procfile.workers", pids=", ".join(map(str, workers)))
    run.post_orders(seed, 8 if seed in VISIBLE_SEEDS else 10)
    run.wait_until_charged()
    run.expect_charged_once()
    run.post_orders(seed + 100, 1)  # web still answers once the workers are busy
    return _("09-real-processes.summary.scaled", count=len(run.orders) - 1)


PARTS = {"both_types": both_types, "survives_kill": survives_kill, "scaled": scaled}


def procfile_check(exercise, part: str, path: Path, *, seed: int, level: str, redis) -> Result:
    """The deployment engine of q2 for one seed of a part."""
    base = {"exercise": exercise.label, "seed": seed, "level": level}
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return Result(
            NOT_ATTEMPTED,
            NOT_WRITTEN,
            summary=_("reason.not_written", app=path.name),
            next_step=_("next.not_written"),
            **base,
        )
    if "NotImplementedError" in text:  # the notebook's stub
        return Result(
            NOT_ATTEMPTED,
            NOT_FINISHED,
            summary=_("reason.procfile_not_finished"),
            next_step=_("next.not_finished"),
            **base,
        )
    try:
        processes = read(text, base)
    except Stop as stop:
        return stop.result
    with (
        DeploymentRedis(fallback=redis) as store,
        tempfile.TemporaryDirectory(prefix="course-procfile-") as scratch,
    ):
        store.flush()
        run = Run(processes, store, Path(scratch), base)
        run.note("09-real-processes.procfile.header", redis=store.describe(), seed=seed)
        for kind, process in processes.items():
            run.note("09-real-processes.procfile.line", kind=kind, line=process.line)
        try:
            summary = PARTS[part](run, seed)
        except Stop as stop:
            return stop.result
        finally:
            if run.web is not None:
                run.web.close()  # raises OrphansLeft if a process survives
    return Result(CORRECT, CORRECT, summary=summary, platform=run.log[-12:], **base)


def read(text: str, base: dict) -> dict:
    """The parsed Procfile, or Stop with a result that names the line and lists the
    forms the course understands."""
    try:
        processes = procfile.parse(text)
    except procfile.ProcfileError as error:
        reason = (
            UNKNOWN_TYPE if error.problem in ("misspelt_type", "unknown_type") else NOT_UNDERSTOOD
        )
        problem = _(f"09-real-processes.procfile.problem.{error.problem}", **error.values)
        summary = _(f"reason.{reason}", line_no=error.line_no, line=error.line, problem=problem)
        if error.problem == "empty":
            summary = problem
        raise Stop(
            Result(
                INCORRECT,
                reason,
                summary=summary,
                details=[_("09-real-processes.procfile.forms")],
                next_step=_(f"next.{reason}"),
                **base,
            )
        ) from None
    for process in processes.values():
        if process.module_file != SHOP_FILE:
            raise Stop(
                Result(
                    INCORRECT,
                    UNKNOWN_APP,
                    summary=_(
                        f"reason.{UNKNOWN_APP}",
                        line_no=process.line_no,
                        line=process.line,
                        file=process.module_file,
                    ),
                    details=[_("09-real-processes.procfile.forms")],
                    next_step=_(f"next.{UNKNOWN_APP}"),
                    **base,
                )
            )
    return processes
