"""07-build-time-assets: bundle and fingerprint assets at build time, look them up at run time.

q1 is a build step, ``build(src, out)``: bundle the CSS sources into one file and the JS
sources into another (sorted by name, joined with a newline), name each bundle after a
hash of its content, and write ``manifest.json`` mapping ``site.css``/``site.js`` to the
fingerprinted names. The check runs the learner's build in a child process (as the
platform's build stage does) on seeded sources, twice, and again after one source changed.

q2 is the run-time side: a Flask site whose pages link the bundles through the manifest of
the release it runs from (``RELEASE_DIR``). The check builds releases with the reference
build (so q2 does not depend on q1), runs three processes from the read-only release,
fetches every page and the assets it links from the process that served it, then deploys
a second release with changed assets as a rolling restart, checking every process between
the restarts. It also remembers every asset URL it fetched: one URL must always give the
same bytes, or a browser or CDN cache would serve a stale bundle. The release holds the app
and the build's output only (as a multi-stage image does), not the sources: an app that
bundles at run time finds nothing to bundle.
"""

from __future__ import annotations

import json
import random
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..deadline import Deadline, Hung
from ..errors import AppCrashed, AppNotFound
from ..messages import _
from ..problem import AppExercise
from ..registry import bind_exercises
from ..release import BuildFailed, Releases, deploy, start
from ..result import CORRECT, INCORRECT, NOT_ATTEMPTED, Result

VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2,)
REQUEST_SECONDS = 5.0

# Reason codes of this notebook (messages: reason.<code> and next.<code> in nb07.py).
BUILD_FAILED = "build_failed"
WRONG_BUNDLE = "wrong_bundle"
NOT_FINGERPRINTED = "not_fingerprinted"
BUILD_NOT_REPEATABLE = "build_not_repeatable"
ASSET_MISSING = "asset_missing"
URL_REUSED = "url_reused"
COMPILED_AT_RUN_TIME = "compiled_at_run_time"

COLOURS = ["navy", "teal", "maroon", "olive", "purple", "black"]
LINK = re.compile(r'<link[^>]+href="([^"]+)"')
SCRIPT = re.compile(r'<script[^>]+src="([^"]+)"')


# -- the sources and the reference build ---------------------------------------------------
def write_sources(folder: Path, seed: int, version: int = 1) -> Path:
    """Seeded CSS and JS sources (a new ``version`` changes one stylesheet)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    colour = COLOURS[(rng.randrange(len(COLOURS)) + version) % len(COLOURS)]
    sources = {
        "base.css": f"body {{ font-family: sans-serif; margin: {rng.randint(0, 3)}rem; }}\n",
        "theme.css": f"a {{ color: {colour}; }}\nh1 {{ color: {colour}; }}\n",
        "layout.css": f".shop {{ display: grid; gap: {rng.randint(1, 9)}px; }}\n",
        "cart.js": f"const CART_LIMIT = {rng.randint(5, 50)};\n",
        "menu.js": "document.querySelectorAll('nav a').forEach(a => a.classList.add('ok'));\n",
    }
    for name, text in sources.items():
        (folder / name).write_text(text)
    return folder


def bundle(src: Path, suffix: str) -> bytes:
    """The bundle the course defines: the sources ending in ``suffix``, sorted by name,
    joined with a newline."""
    return b"\n".join(p.read_bytes() for p in sorted(src.glob(f"*{suffix}")))


# The build q2's releases are made with (q1's reference does the same). It is run as a
# file in a child process, as the platform runs every build, so it imports nothing of ours.
REFERENCE_BUILD_FILE = """
import hashlib, json

def build(src, out):
    manifest = {}
    for logical, suffix in (("site.css", ".css"), ("site.js", ".js")):
        data = b"\\n".join(p.read_bytes() for p in sorted(src.glob("*" + suffix)))
        name = "site." + hashlib.sha256(data).hexdigest()[:12] + suffix
        (out / name).write_bytes(data)
        manifest[logical] = name
    (out / "manifest.json").write_text(json.dumps(manifest))
"""


# -- q1: the build step ----------------------------------------------------------------------
@dataclass
class _Built:
    manifest: dict
    files: dict[str, bytes]


def _result(outcome, reason, base, **fields) -> Result:
    next_key = f"next.{reason}"
    return Result(
        outcome, reason, next_step=_(next_key) if reason != CORRECT else "", **fields, **base
    )


def build_check(exercise, part: str, build_file: Path, *, seed: int, level: str, redis) -> Result:
    """q1's engine: the answer is a build file, run like the platform's build stage."""
    base = {"exercise": exercise.label, "seed": seed, "level": level}
    if not build_file.exists():
        return Result(
            NOT_ATTEMPTED,
            "not_written",
            summary=_("reason.not_written", app=build_file.name),
            next_step=_("next.not_written"),
            **base,
        )
    with tempfile.TemporaryDirectory(prefix="check-build-") as scratch:
        root = Path(scratch)
        src = write_sources(root / "src", seed)
        try:
            first = _build(build_file, root / "a", src)
            if part == "bundles":
                return _bundles(first, src, base)
            again = _build(build_file, root / "b", src)
            write_sources(src, seed, version=2)
            changed = _build(build_file, root / "c", src)
        except BuildFailed as failed:
            if "NotImplementedError" in failed.output:
                return Result(
                    NOT_ATTEMPTED,
                    "not_finished",
                    summary=_("reason.not_finished", handler="build()"),
                    next_step=_("next.not_finished"),
                    **base,
                )
            return _result(
                INCORRECT,
                BUILD_FAILED,
                base,
                summary=_("reason.build_failed", error=str(failed)),
                details=[failed.output[-600:]] if failed.output else [],
            )
        return _fingerprints(first, again, changed, src, base)


def _bundles(built: _Built, src: Path, base: dict) -> Result:
    for logical, suffix in (("site.css", ".css"), ("site.js", ".js")):
        name = built.manifest.get(logical)
        expected = bundle(src, suffix)
        if not isinstance(name, str) or name not in built.files:
            return _result(
                INCORRECT,
                WRONG_BUNDLE,
                base,
                summary=_("reason.manifest_entry", logical=logical),
                saw=repr(built.manifest),
                expected=_("expected.manifest"),
            )
        if built.files[name] != expected:
            return _result(
                INCORRECT,
                WRONG_BUNDLE,
                base,
                summary=_("reason.wrong_bundle", logical=logical, name=name),
                saw=_clip(built.files[name]),
                expected=_clip(expected),
            )
    return Result(CORRECT, CORRECT, summary=_("07.summary.bundles"), **base)


def _fingerprints(first, again, changed, src, base) -> Result:
    for logical in ("site.css", "site.js"):
        name = first.manifest.get(logical)
        if not isinstance(name, str) or name not in first.files:
            return _result(
                INCORRECT,
                WRONG_BUNDLE,
                base,
                summary=_("reason.manifest_entry", logical=logical),
                saw=repr(first.manifest),
                expected=_("expected.manifest"),
            )
        if again.manifest.get(logical) != name or again.files.get(name) != first.files[name]:
            return _result(
                INCORRECT,
                BUILD_NOT_REPEATABLE,
                base,
                summary=_("reason.build_not_repeatable", logical=logical),
                saw=f"{name} / {again.manifest.get(logical)}",
                expected=_("expected.same_name"),
            )
    css, js = first.manifest["site.css"], first.manifest["site.js"]
    new_css = changed.manifest.get("site.css")
    if new_css == css or new_css == "site.css":
        return _result(
            INCORRECT,
            NOT_FINGERPRINTED,
            base,
            summary=_("reason.not_fingerprinted", name=css),
            saw=f"{css} -> {new_css}",
            expected=_("expected.new_name"),
        )
    if changed.manifest.get("site.js") != js:
        return _result(
            INCORRECT,
            NOT_FINGERPRINTED,
            base,
            summary=_("reason.name_changed_without_change", name=js),
            saw=f"{js} -> {changed.manifest.get('site.js')}",
            expected=_("expected.same_name"),
        )
    return Result(CORRECT, CORRECT, summary=_("07.summary.fingerprints"), **base)


def _build(build_file: Path, into: Path, src: Path) -> _Built:
    """Run the learner's build like the platform's build stage; read what it made."""
    app = into / "site.py"
    into.mkdir(parents=True)
    app.write_text("# the app is not what this check is about\n")
    releases = Releases(into / "releases")
    try:
        release = releases.build(app, build_file=build_file, src=src)
        static = release.static
        files = {p.name: p.read_bytes() for p in static.iterdir() if p.is_file()}
        try:
            manifest = json.loads(files.get("manifest.json", b"{}"))
        except ValueError:
            manifest = {}
        return _Built(manifest if isinstance(manifest, dict) else {}, files)
    finally:
        releases.close()


def _clip(data: bytes, limit: int = 160) -> str:
    text = data.decode(errors="replace")
    return text if len(text) <= limit else text[:limit] + "..."


# -- q2: the run-time lookup -----------------------------------------------------------------
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
            urls: dict[str, tuple[bytes, str]] = {}
            cluster = None
            try:
                with Deadline(REQUEST_SECONDS, "start"):
                    cluster = start(
                        one, processes=3, redis=redis, capture_output=True, request_timeout=None
                    )
                for _round in range(2):
                    for slot in range(3):
                        _page(cluster, slot, one, releases, urls, base)
                if part == "rolling_deploy":
                    write_sources(src, seed, version=2)
                    two = releases.build(app, build_file=build_file, src=src)

                    def between(_slot):
                        for slot in range(3):
                            _page(cluster, slot, None, releases, urls, base)

                    with Deadline(REQUEST_SECONDS * 3, "start"):
                        deploy(cluster, two, between=between)
                    for slot in range(3):
                        _page(cluster, slot, two, releases, urls, base)
            except _Problem as problem:
                return problem.result
            except AppNotFound:
                return Result(NOT_ATTEMPTED, "not_written", summary="", **base)
            except AppCrashed as crash:
                error = crash.args[0]
                if error["kind"] == "NotImplementedError":
                    return Result(
                        NOT_ATTEMPTED,
                        "not_finished",
                        summary=_("reason.not_finished_file"),
                        next_step=_("next.not_finished"),
                        **base,
                    )
                reason = _crash_reason(error)
                return _result(
                    INCORRECT,
                    reason,
                    base,
                    summary=_(f"reason.{reason}"),
                    saw=_("saw.app_error", **error),
                    details=[_("detail.where", where=error["where"])] if error["where"] else [],
                )
            except Hung:
                return _result(
                    INCORRECT,
                    "timeout",
                    base,
                    summary=_("reason.timeout", what="GET /", seconds=REQUEST_SECONDS),
                    platform=cluster.history(last=8) if cluster else [],
                )
            finally:
                if cluster is not None:
                    cluster.close()
    return Result(CORRECT, CORRECT, summary=_(f"07.summary.{part}"), **base)


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
            _result(
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
        with Deadline(REQUEST_SECONDS, f"GET {url}"):
            asset = cluster.http("GET", url, user="visitor", to=slot)
        _ok(cluster, asset, base, release)
        want = (release.static / manifest[logical]).read_bytes()
        got = asset.value.body.encode()
        if asset.value.status != 200 or got != want:
            raise _Problem(
                _result(
                    INCORRECT,
                    ASSET_MISSING,
                    base,
                    summary=_(
                        "reason.asset_missing",
                        pid=page.pid,
                        url=url,
                        release=release.id,
                        status=asset.value.status,
                    ),
                    saw=f"{asset.value.status} {asset.value.body[:120]!r}",
                    expected=f"200 {_clip(want)!r}",
                    platform=cluster.history(last=8),
                )
            )
        seen = urls.setdefault(url, (got, release.id))
        if seen[0] != got:
            raise _Problem(
                _result(
                    INCORRECT,
                    URL_REUSED,
                    base,
                    summary=_("reason.url_reused", url=url, old=seen[1], new=release.id),
                    saw=_clip(got),
                    expected=_clip(seen[0]),
                    platform=cluster.history(last=8),
                )
            )


def _ok(cluster, served, base, release) -> None:
    violations = [v for p in cluster.processes for v in p.violations]
    if violations:
        raise _Problem(
            _result(
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
            _result(
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


build_step_app = AppExercise(
    engine=build_check,
    solution_cell="build_step_app",
    app_file="build_assets.py",
    plans={"bundles": None, "fingerprints": None},
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

site_app = AppExercise(
    engine=site_check,
    solution_cell="site_app",
    app_file="site.py",
    plans={"serves_release": None, "rolling_deploy": None},
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

bind_exercises(globals(), [build_step_app, site_app])
