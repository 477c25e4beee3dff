"""q2 of 07: a site that links the bundles of the release it runs from, through a rolling
deploy, one URL always the same bytes."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from ...deadline import Deadline, Hung
from ...errors import AppCrashed, AppNotFound
from ...messages import _
from ...release import Releases, deploy, start
from ...result import CORRECT, INCORRECT, NOT_ATTEMPTED, Result
from .common import (
    ASSET_MISSING,
    COMPILED_AT_RUN_TIME,
    REQUEST_SECONDS,
    URL_REUSED,
    clip_bytes,
    result,
)
from .sources import REFERENCE_BUILD_FILE, write_sources

LINK = re.compile(r'<link[^>]+href="([^"]+)"')
SCRIPT = re.compile(r'<script[^>]+src="([^"]+)"')


class _Problem(Exception):
    def __init__(self, result: Result):
        self.result = result


def site_check(exercise, part: str, app: Path, *, seed: int, level: str, redis) -> Result:
    """q2's engine: the answer is a Flask app run from releases the platform builds and
    deploys."""
    base = {"exercise": exercise.label, "seed": seed, "level": level}
    if not app.exists():
        return Result(
            NOT_ATTEMPTED,
            "not_written",
            summary=_("reason.not_written", app=app.name),
            next_step=_("next.not_written"),
            **base,
        )
    redis.flush()
    with tempfile.TemporaryDirectory(prefix="check-site-") as scratch:
        root = Path(scratch)
        build_file = root / "reference_build.py"
        build_file.write_text(REFERENCE_BUILD_FILE)
        src = write_sources(root / "src", seed)
        with Releases(root / "releases") as releases:
            one = releases.build(app, build_file=build_file, src=src)
            site = _Site(app, build_file, src, seed, releases, base)
            try:
                site.visit(part, one, redis)
            except _Problem as problem:
                return problem.result
            except AppNotFound:
                return Result(NOT_ATTEMPTED, "not_written", summary="", **base)
            except AppCrashed as crash:
                return _crashed(crash.args[0], base)
            except Hung:
                return result(
                    INCORRECT,
                    "timeout",
                    base,
                    summary=_("reason.timeout", what="GET /", seconds=REQUEST_SECONDS),
                    platform=site.cluster.history(last=8) if site.cluster else [],
                )
            finally:
                if site.cluster is not None:
                    site.cluster.close()
    return Result(CORRECT, CORRECT, summary=_(f"07.summary.{part}"), **base)


class _Site:
    """The answer's site as q2 visits it: release one on three processes, every page and
    asset twice; for ``rolling_deploy``, release two deployed process by process with
    every process visited between the steps, then every page of release two. A URL must
    always give the same bytes (``urls``: url -> (bytes, release id))."""

    def __init__(self, app, build_file, src, seed, releases, base):
        self.app, self.build_file, self.src, self.seed = app, build_file, src, seed
        self.releases, self.base = releases, base
        self.cluster = None  # closed by the caller, whatever happened
        self.urls: dict[str, tuple[bytes, str]] = {}

    def visit(self, part: str, one, redis) -> None:
        with Deadline(REQUEST_SECONDS, "start"):
            self.cluster = start(
                one, processes=3, redis=redis, capture_output=True, request_timeout=None
            )
        for _round in range(2):
            self._every_process(one)
        if part == "rolling_deploy":
            write_sources(self.src, self.seed, version=2)
            two = self.releases.build(self.app, build_file=self.build_file, src=self.src)
            with Deadline(REQUEST_SECONDS * 3, "start"):
                deploy(self.cluster, two, between=lambda _slot: self._every_process(None))
            self._every_process(two)

    def _every_process(self, release) -> None:
        for slot in range(3):
            _page(self.cluster, slot, release, self.releases, self.urls, self.base)


def _crashed(error: dict, base: dict) -> Result:
    """The app crashed at start: not finished (NotImplementedError), or why it crashed."""
    if error["kind"] == "NotImplementedError":
        return Result(
            NOT_ATTEMPTED,
            "not_finished",
            summary=_("reason.not_finished_file"),
            next_step=_("next.not_finished"),
            **base,
        )
    reason = _crash_reason(error)
    return result(
        INCORRECT,
        reason,
        base,
        summary=_(f"reason.{reason}"),
        saw=_("saw.app_error", **error),
        details=[_("detail.where", where=error["where"])] if error["where"] else [],
    )


def _crash_reason(error: dict) -> str:
    if error["kind"] in ("FileNotFoundError", "NotADirectoryError") and "src" not in error.get(
        "message", ""
    ):
        return COMPILED_AT_RUN_TIME
    if error["kind"] == "PermissionError":
        return "write_outside_disk"
    return "app_crashed_at_start"


def _page(cluster, slot, release, releases, urls, base) -> None:
    """GET / on one process, then every asset it links, from that same process."""
    process = cluster.processes[slot]
    running = process.env.get("RELEASE_ID")
    release = next(r for r in releases.history if r.id == running)
    with Deadline(REQUEST_SECONDS, "GET /"):
        page = cluster.http("GET", "/", user="visitor", to=slot)
    _ok(cluster, page, base, release)
    html = page.value.body
    links = LINK.findall(html) + SCRIPT.findall(html)
    if len(links) < 2:
        raise _Problem(
            result(
                INCORRECT,
                ASSET_MISSING,
                base,
                summary=_("reason.links_missing", pid=page.pid),
                saw=html[:300],
                expected=_("expected.links"),
                platform=cluster.history(last=8),
            )
        )
    manifest = json.loads((release.static / "manifest.json").read_text())
    for url, logical in zip(links[:2], ("site.css", "site.js"), strict=True):
        _asset(cluster, slot, url, manifest[logical], page.pid, release, urls, base)


def _asset(cluster, slot, url, built: str, page_pid, release, urls, base) -> None:
    """GET one linked asset from the process that served the page: it must be the bytes
    the release built (``built``: its file in the release), and the same bytes every time
    that URL was asked for."""
    with Deadline(REQUEST_SECONDS, f"GET {url}"):
        asset = cluster.http("GET", url, user="visitor", to=slot)
    _ok(cluster, asset, base, release)
    want = (release.static / built).read_bytes()
    got = asset.value.body.encode()
    if asset.value.status != 200 or got != want:
        raise _Problem(
            result(
                INCORRECT,
                ASSET_MISSING,
                base,
                summary=_(
                    "reason.asset_missing",
                    pid=page_pid,
                    url=url,
                    release=release.id,
                    status=asset.value.status,
                ),
                saw=f"{asset.value.status} {asset.value.body[:120]!r}",
                expected=f"200 {clip_bytes(want)!r}",
                platform=cluster.history(last=8),
            )
        )
    seen = urls.setdefault(url, (got, release.id))
    if seen[0] != got:
        raise _Problem(
            result(
                INCORRECT,
                URL_REUSED,
                base,
                summary=_("reason.url_reused", url=url, old=seen[1], new=release.id),
                saw=clip_bytes(got),
                expected=clip_bytes(seen[0]),
                platform=cluster.history(last=8),
            )
        )


def _ok(cluster, served, base, release) -> None:
    violations = [v for p in cluster.processes for v in p.violations]
    if violations:
        raise _Problem(
            result(
                INCORRECT,
                "write_outside_disk",
                base,
                summary=_("reason.write_into_release", path=violations[0]["path"], pid=served.pid),
                platform=cluster.history(last=8),
            )
        )
    if served.error:
        kind, message = served.error["kind"], served.error["message"]
        reason = COMPILED_AT_RUN_TIME if kind == "FileNotFoundError" else "app_error"
        raise _Problem(
            result(
                INCORRECT,
                reason,
                base,
                summary=_(
                    f"reason.{reason}", seq=served.seq, pid=served.pid, handler=served.handler
                ),
                saw=_("saw.app_error", kind=kind, message=message),
                details=[_("detail.where", where=served.error["where"])]
                if served.error["where"]
                else [],
                platform=cluster.history(last=8),
            )
        )
