"""q1 of 07: the learner's build step, run like the platform's build stage, twice and
again after one source changed."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ...messages import _
from ...release import BuildFailed, Releases
from ...result import CORRECT, INCORRECT, NOT_ATTEMPTED, Result
from .common import (
    BUILD_FAILED,
    BUILD_NOT_REPEATABLE,
    NOT_FINGERPRINTED,
    WRONG_BUNDLE,
    clip_bytes,
    result,
)
from .sources import bundle, write_sources


@dataclass
class _Built:
    manifest: dict
    files: dict[str, bytes]


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
            return result(
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
            return result(
                INCORRECT,
                WRONG_BUNDLE,
                base,
                summary=_("reason.manifest_entry", logical=logical),
                saw=repr(built.manifest),
                expected=_("expected.manifest"),
            )
        if built.files[name] != expected:
            return result(
                INCORRECT,
                WRONG_BUNDLE,
                base,
                summary=_("reason.wrong_bundle", logical=logical, name=name),
                saw=clip_bytes(built.files[name]),
                expected=clip_bytes(expected),
            )
    return Result(CORRECT, CORRECT, summary=_("07.summary.bundles"), **base)


def _fingerprints(first, again, changed, src, base) -> Result:
    for logical in ("site.css", "site.js"):
        name = first.manifest.get(logical)
        if not isinstance(name, str) or name not in first.files:
            return result(
                INCORRECT,
                WRONG_BUNDLE,
                base,
                summary=_("reason.manifest_entry", logical=logical),
                saw=repr(first.manifest),
                expected=_("expected.manifest"),
            )
        if again.manifest.get(logical) != name or again.files.get(name) != first.files[name]:
            return result(
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
        return result(
            INCORRECT,
            NOT_FINGERPRINTED,
            base,
            summary=_("reason.not_fingerprinted", name=css),
            saw=f"{css} -> {new_css}",
            expected=_("expected.new_name"),
        )
    if changed.manifest.get("site.js") != js:
        return result(
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
