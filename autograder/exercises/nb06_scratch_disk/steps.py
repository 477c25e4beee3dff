"""The Inspect steps of 06: requests that overlap on one process, downloads that fail on
purpose, a process killed at every step of a report job, and a look at every disk."""

from __future__ import annotations

import random

from ...deadline import Deadline
from ...filehost import CUT, MISSING, STALL, disk_files, process_disk
from ...messages import _
from ...steps import Finding, Inspect, Request
from .data import CHECK_ROWS, host, orders_csv, summary_of
from .reasons import ERROR_HIDDEN, LEFT_ON_DISK, PARTIAL_RESULT, RESULT_LOST, TEMP_FILE_SHARED

REQUEST_SECONDS = 5.0  # the check's deadline; the apps' download timeout must be shorter


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


FAULT_KEYS = {CUT: "06.fault.cut", STALL: "06.fault.stall", MISSING: "06.fault.missing"}


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
                    fault=_(FAULT_KEYS[fault]),
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
                        fault=_(FAULT_KEYS[fault]),
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


def request(handler: str, name: str) -> Request:
    return Request(handler, {"name": name}, None)
