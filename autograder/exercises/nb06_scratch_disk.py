"""06-scratch-disk: the disk as a one-request scratch space.

Both apps download a CSV of orders from the platform's file host (``FILES_URL``) with
``requests`` and summarise it. The checks start a private :class:`FileHost` in the checker
process and make it misbehave on purpose:

- two requests overlap on *one* process: the first is paused half way through its
  download (``pause_after="DOWNLOADING"``) while the second runs whole, so two requests
  that share a temp file name overwrite each other every time, not only under load;
- a file on the host is replaced by a new version, so a copy kept on disk "for next time"
  serves stale numbers;
- a download is cut half way, stalls, or answers 404: the app must raise, store nothing,
  and leave nothing on disk;
- a process is killed right after each event of a report job in turn (half the file read,
  all of it read, each Redis command): another process must then see no report or the
  complete one, never a partial one, and a retry must succeed.

After every request the check walks each process's disk (from outside, as a platform's
disk-usage monitor does): a file left behind is a leak, whatever its name.
"""

from __future__ import annotations

import csv
import io
import random

from ..deadline import Deadline
from ..filehost import (
    CUT,
    FILES_URL,
    MISSING,
    STALL,
    FileHost,
    disk_files,
    process_disk,
)
from ..messages import _
from ..problem import AppExercise
from ..registry import bind_exercises
from ..scenario import Action, Finding, Inspect, Phase, Request, Scenario

VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2,)  # one hidden seed: the schedules are fixed, and CI pays per seed
ITEMS = {"apple": 45, "bread": 320, "cheese": 780, "dates": 510, "eggs": 290, "figs": 640}
ROWS = 1500  # about 30 KB: the notebook's files, big enough to stop half way through
CHECK_ROWS = 400  # about 8 KB: the checks parse every file many times, so keep it small
REQUEST_SECONDS = 5.0  # the check's deadline; the apps' download timeout must be shorter

# Reason codes of this notebook (messages: reason.<code> and next.<code> in nb06.py).
TEMP_FILE_SHARED = "temp_file_shared"
STALE_COPY = "stale_copy"
LEFT_ON_DISK = "left_on_disk"
ERROR_HIDDEN = "error_hidden"
PARTIAL_RESULT = "partial_result"
RESULT_LOST = "result_lost"


# -- the data -----------------------------------------------------------------------------
def orders_csv(rng: random.Random, rows: int = ROWS) -> bytes:
    """A CSV of orders: order_id,item,qty,price_cents (one header line)."""
    out = io.StringIO()
    out.write("order_id,item,qty,price_cents\n")
    start = rng.randint(10_000, 90_000)
    for n in range(rows):
        item = rng.choice(sorted(ITEMS))
        out.write(f"{start + n},{item},{rng.randint(1, 9)},{ITEMS[item] + rng.randint(0, 40)}\n")
    return out.getvalue().encode()


_summaries: dict[bytes, dict] = {}


def summary_of(data: bytes) -> dict:
    """What a correct app answers for one CSV: orders, units and revenue in cents."""
    if data not in _summaries:
        _summaries[data] = _add_up(data)
    return dict(_summaries[data])


def _add_up(data: bytes) -> dict:
    orders = units = revenue = 0
    for row in csv.DictReader(io.StringIO(data.decode())):
        orders += 1
        units += int(row["qty"])
        revenue += int(row["qty"]) * int(row["price_cents"])
    return {"orders": orders, "units": units, "revenue_cents": revenue}


_host: FileHost | None = None


def host() -> FileHost:
    """The checker's private file host (one per checker process, started on first use)."""
    global _host
    if _host is None:
        _host = FileHost()
    return _host


def _fresh_host(seed: int, names: list[str], rows: int = CHECK_ROWS) -> FileHost:
    files = host()
    files.reset()
    rng = random.Random(seed * 7919)
    for name in names:
        files.put(name, orders_csv(rng, rows + rng.randint(0, 100)))
    return files


def _env() -> dict[str, str]:
    return {FILES_URL: host().url}


# -- models -------------------------------------------------------------------------------
class SummaryModel:
    def summarise(self, name):
        return summary_of(host().files[name])


class ReportModel:
    def __init__(self):
        self.reports: dict[str, dict] = {}

    def build_report(self, name):
        self.reports[name] = summary_of(host().files[name])
        return self.reports[name]

    def get_report(self, name):
        return self.reports.get(name)


def stale_diagnose(served, expected, *, first_visit: bool):
    """A summary of an older version of the same file: a copy kept from an earlier request."""
    name = served.args.get("name")
    if served.handler not in ("summarise", "build_report") or not served.ok:
        return None
    old = [summary_of(v) for v in host().history.get(name, [])[:-1]]
    return STALE_COPY if served.value in old and served.value != expected else None


# -- steps --------------------------------------------------------------------------------
def _send(ctx, handler: str, name: str, slot: int):
    """One request from an Inspect step, under the check's own deadline."""
    with Deadline(REQUEST_SECONDS, Request(handler, {"name": name})):
        return ctx.cluster.send(handler, {"name": name}, to=slot % len(ctx.cluster.processes))


def _failed(served, reason: str, summary: str, expected) -> Finding:
    saw = _("saw.app_error", **served.error) if served.error else repr(served.value)
    where = served.error.get("where") if served.error else ""
    return Finding(
        reason,
        summary + (_("detail.where_inline", where=where) if where else ""),
        expected=repr(expected),
        saw=saw,
    )


def _outside_writes(ctx) -> Finding | None:
    for process in ctx.cluster.processes:
        for violation in process.violations:
            return Finding(
                "write_outside_disk",
                _("reason.write_outside_disk", path=violation["path"], pid=process.pid),
            )
    return None


def disk_clean(after: str) -> Inspect:
    """Every process's disk is empty: whatever a request downloaded is gone."""

    def check(ctx):
        found = _outside_writes(ctx)
        if found:
            return found
        for process in ctx.cluster.processes:
            files = disk_files(process_disk(process))
            if files:
                listing = ", ".join(
                    f"{path} ({size} bytes)" for path, size in sorted(files.items())
                )
                return Finding(
                    LEFT_ON_DISK,
                    _("reason.left_on_disk", pid=process.pid, after=after, files=listing),
                    expected=_("expected.empty_disk"),
                    saw=listing,
                )
        return None

    return Inspect(check)


def overlap(handler: str, first: str, second: str, slot: int) -> Inspect:
    """``first`` is paused half way through its download while ``second`` runs whole on
    the same process; then ``first`` goes on. Both must be right."""

    def check(ctx):
        files = host()
        where = slot % len(ctx.cluster.processes)
        expected = {first: summary_of(files.files[first]), second: summary_of(files.files[second])}
        with Deadline(REQUEST_SECONDS, Request(handler, {"name": first})):
            paused = ctx.cluster.begin(
                handler, to=where, pause_after=("DOWNLOADING", "DOWNLOADED"), name=first
            )
        other = _send(ctx, handler, second, where)
        with Deadline(REQUEST_SECONDS, Request(handler, {"name": first})):
            served = paused.finish()
        for seen, name in ((other, second), (served, first)):
            if hasattr(ctx.model, "reports") and seen.ok:
                ctx.model.reports[name] = expected[name]
            if seen.ok and seen.value == expected[name]:
                continue
            return _failed(
                seen,
                TEMP_FILE_SHARED,
                _(
                    "reason.temp_file_shared",
                    pid=seen.pid,
                    first=f"{handler}({first!r})",
                    second=f"{handler}({second!r})",
                    handler=f"{handler}({name!r})",
                ),
                expected[name],
            )
        return None

    return Inspect(check)


def upload(name: str, seed: int) -> Inspect:
    """A new version of ``name`` arrives on the file host (no request, nothing to judge)."""

    def check(ctx):
        rng = random.Random(seed)
        host().put(name, orders_csv(rng, CHECK_ROWS + rng.randint(0, 100)))
        return None

    return Inspect(check)


FAULT_WORDS = {CUT: "cut half way", STALL: "stalled half way", MISSING: "answered 404"}


def must_fail(handler: str, name: str, fault: str, slot: int) -> Inspect:
    """The download fails (cut, stalled or 404): the request must raise, and a report
    job must leave the previous report as it was (or none)."""

    def check(ctx):
        files = host()
        if fault in (CUT, STALL):
            files.fail_next(name, fault)
        before = ctx.model.get_report(name) if hasattr(ctx.model, "reports") else None
        served = _send(ctx, handler, name, slot)
        found = _outside_writes(ctx)
        if found:
            return found
        if served.ok:
            return _failed(
                served,
                ERROR_HIDDEN,
                _(
                    "reason.error_hidden",
                    seq=served.seq,
                    pid=served.pid,
                    handler=f"{handler}({name!r})",
                    fault=FAULT_WORDS[fault],
                ),
                _("expected.an_error"),
            )
        if hasattr(ctx.model, "reports"):
            seen = _send(ctx, "get_report", name, slot + 1)
            if not seen.ok or seen.value not in (None, before):
                return _failed(
                    seen,
                    PARTIAL_RESULT,
                    _(
                        "reason.partial_after_error",
                        pid=seen.pid,
                        name=name,
                        fault=FAULT_WORDS[fault],
                    ),
                    before,
                )
            if seen.value is None:
                ctx.model.reports.pop(name, None)
        return None

    return Inspect(check)


def kill_at_every_step(names: list[str]) -> Inspect:
    """Kill the process right after the 1st, 2nd, 3rd ... event of ``build_report`` (half
    the file read, all read, each Redis command), one file per try. Another process must
    then see no report or the complete one, and a retry must store the complete one."""

    def check(ctx):
        cluster = ctx.cluster
        for step, name in enumerate(names, start=1):
            expected = summary_of(host().files[name])
            with Deadline(REQUEST_SECONDS, Request("build_report", {"name": name})):
                paused = cluster.begin("build_report", to=0, pause_after=step, name=name)
            if not paused.is_paused:  # it ran to its end: every event has been tried
                served = paused.served
                if not served.ok or served.value != expected:
                    return _failed(
                        served,
                        "wrong_response" if served.ok else "app_error",
                        _("reason.report_wrong", pid=served.pid, name=name),
                        expected,
                    )
                ctx.model.reports[name] = expected
                return None
            event = paused.commands_at_pause[-1]
            victim = cluster.processes[0].pid
            cluster.kill(0)
            seen = _send(ctx, "get_report", name, 1)
            if not seen.ok or seen.value not in (None, expected):
                return _failed(
                    seen,
                    PARTIAL_RESULT,
                    _("reason.partial_result", victim=victim, event=event, name=name, pid=seen.pid),
                    _("expected.none_or", report=expected),
                )
            retry = _send(ctx, "build_report", name, 0)
            if not retry.ok or retry.value != expected:
                return _failed(
                    retry,
                    RESULT_LOST,
                    _("reason.retry_failed", victim=victim, event=event, name=name, pid=retry.pid),
                    expected,
                )
            ctx.model.reports[name] = expected
        return None

    return Inspect(check)


def _req(handler: str, name: str) -> Request:
    return Request(handler, {"name": name}, None)


# -- q1: summarise a downloaded file -------------------------------------------------------
def private_files_plan(seed: int) -> Scenario:
    rng = random.Random(seed)
    names = [f"orders-{m}.csv" for m in ("jan", "feb", "mar", "apr", "may")]
    _fresh_host(seed, names)
    a, b, c, d, e = rng.sample(names, 5)
    logic = [_req("summarise", a), _req("summarise", b), _req("summarise", a)]
    steps: list = [
        overlap("summarise", a, b, 0),
        overlap("summarise", c, a, 1),
        upload(a, seed * 100 + 1),
        _req("summarise", a),
        _req("summarise", a),
        _req("summarise", a),
        Action("restart"),
        overlap("summarise", d, e, 0),
        upload(d, seed * 100 + 2),
        _req("summarise", d),
        _req("summarise", d),
    ]
    for round_ in range(2 if seed not in VISIBLE_SEEDS else 1):  # hidden: one round more
        steps.append(overlap("summarise", rng.choice(names), rng.choice(names), rng.randrange(3)))
        steps.append(upload(rng.choice(names), seed * 100 + 10 + round_))
        steps += [_req("summarise", rng.choice(names)) for _ in range(3)]
        steps.append(Action("kill", rng.randrange(3)))
    env = _env()
    return Scenario(
        [
            Phase(1, "round-robin", logic, env=env),
            Phase(3, "round-robin", steps, env=env),
        ],
        seed=seed,
        stores_state=False,
    )


def clean_disk_plan(seed: int) -> Scenario:
    rng = random.Random(seed)
    names = [f"orders-{m}.csv" for m in ("jun", "jul", "aug", "sep")]
    _fresh_host(seed, names)
    a, b, c, d = rng.sample(names, 4)
    steps: list = [
        _req("summarise", a),
        disk_clean(f"summarise({a!r})"),
        _req("summarise", b),
        _req("summarise", a),
        disk_clean("three downloads"),
        must_fail("summarise", "orders-dec.csv", MISSING, 0),
        disk_clean("a 404"),
        must_fail("summarise", c, CUT, 1),
        disk_clean("a download cut half way"),
        _req("summarise", c),
        must_fail("summarise", d, STALL, 0),
        disk_clean("a download that stalled"),
        _req("summarise", d),
        disk_clean("the retries"),
    ]
    env = _env()
    return Scenario([Phase(2, "round-robin", steps, env=env)], seed=seed, stores_state=False)


# -- q2: a report job that stores its result in Redis --------------------------------------
def all_or_nothing_plan(seed: int) -> Scenario:
    rng = random.Random(seed)
    names = [f"orders-{m}.csv" for m in ("jan", "feb", "mar")]
    trials = [f"trial-{n}.csv" for n in range(1, 9)]
    _fresh_host(seed, names + trials, rows=300)
    a, b, c = rng.sample(names, 3)
    logic = [
        _req("get_report", a),
        _req("build_report", a),
        _req("get_report", a),
        _req("build_report", b),
        _req("get_report", b),
    ]
    steps: list = [
        _req("get_report", a),
        _req("get_report", b),
        kill_at_every_step(trials),
        disk_clean("the killed requests and their retries"),
        *[_req("get_report", t) for t in trials[:3]],
        Action("restart"),
        _req("get_report", a),
        _req("build_report", c),
        _req("get_report", c),
        _req("get_report", c),
        Action("kill", rng.randrange(2)),
        _req("get_report", c),
        disk_clean("every request"),
    ]
    env = _env()
    return Scenario(
        [
            Phase(1, "round-robin", logic, env=env),
            Phase(2, "round-robin", steps, env=env),
        ],
        seed=seed,
    )


def failed_download_plan(seed: int) -> Scenario:
    rng = random.Random(seed)
    names = [f"orders-{m}.csv" for m in ("jun", "jul", "aug")]
    _fresh_host(seed, names, rows=300)
    a, b, c = rng.sample(names, 3)
    steps: list = [
        _req("build_report", a),
        _req("get_report", a),
        must_fail("build_report", b, CUT, 0),
        disk_clean("a download cut half way"),
        _req("get_report", b),
        _req("build_report", b),
        _req("get_report", b),
        upload(a, seed * 100 + 1),
        must_fail("build_report", a, CUT, 1),
        disk_clean("a download cut half way"),
        _req("get_report", a),
        _req("build_report", a),
        _req("get_report", a),
        must_fail("build_report", "orders-dec.csv", MISSING, 0),
        _req("get_report", "orders-dec.csv"),
        upload(c, seed * 100 + 2),
        _req("build_report", c),
        _req("get_report", c),
        disk_clean("every request"),
    ]
    env = _env()
    return Scenario([Phase(2, "round-robin", steps, env=env)], seed=seed)


summary_app = AppExercise(
    solution_cell="summary_app",
    app_file="order_summary.py",
    plans={"private_temp_files": private_files_plan, "clean_disk": clean_disk_plan},
    model=SummaryModel,
    diagnose=stale_diagnose,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

report_job_app = AppExercise(
    solution_cell="report_job_app",
    app_file="report_job.py",
    plans={"all_or_nothing": all_or_nothing_plan, "failed_download": failed_download_plan},
    model=ReportModel,
    diagnose=stale_diagnose,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

bind_exercises(globals(), [summary_app, report_job_app])
