"""Releases: build once, run every process from a read-only folder, deploy by rolling restart.

Factor V (https://12factor.net/build-release-run) splits a deploy into three stages. The
*build* turns the code into something runnable (here: an app file plus whatever a build
step makes, such as bundled, fingerprinted assets); the *release* is that build together
with its config, under an id, and never changes; *run* starts processes from a release.

- :meth:`Releases.build` copies the app file into a fresh release folder, runs the build
  step once (``build(src, out)`` from a build file, in a child Python process with a time
  limit, so a build that hangs or crashes is reported, not suffered), gives the release an
  id from its content, and makes the folder read-only.
- :func:`start` runs a cluster from a release: the processes import the release's copy of
  the app and find the release through ``RELEASE_DIR`` and ``RELEASE_ID`` in their
  environment (so it works the same when a process is a real OS process).
- :func:`deploy` moves a running cluster to another release one process at a time (old to
  new), with the release ids in the cluster's log, and lets the caller send requests
  between the restarts, which is when two releases serve side by side.

Writes into a release at run time are refused twice over: the folder's files and
directories lose their write bits, and an app process may only write to its own disk
anyway (the audit hook inside each app process, :mod:`autograder.guard`). Running as root
ignores write bits, which is why the audit hook, not the mode, is what the checks rely on.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import PlatformError
from .messages import _

RELEASE_DIR = "RELEASE_DIR"
RELEASE_ID = "RELEASE_ID"
STATIC = "static"  # the folder of a release that a build step writes into
BUILD_SECONDS = 20.0

_BUILD_RUNNER = """
import runpy, sys
from pathlib import Path
build_file, src, out = sys.argv[1:4]
namespace = runpy.run_path(build_file, run_name="build_step")
if not callable(namespace.get("build")):
    sys.exit(f"{Path(build_file).name} defines no function build(src, out)")
namespace["build"](Path(src), Path(out))
"""


class BuildFailed(PlatformError):
    """The build step raised, exited, or ran out of time; ``output`` is what it printed."""

    def __init__(self, message: str, output: str = ""):
        super().__init__(message)
        self.output = output


@dataclass
class Release:
    """One immutable release: its id, its read-only folder and the app file in it."""

    number: int
    id: str
    folder: Path
    app_file: Path

    @property
    def static(self) -> Path:
        return self.folder / STATIC

    def env(self) -> dict[str, str]:
        return {RELEASE_DIR: str(self.folder), RELEASE_ID: self.id}

    def files(self) -> dict[str, bytes]:
        """Every file of the release, relative path -> bytes."""
        return {
            str(path.relative_to(self.folder)): path.read_bytes()
            for path in sorted(self.folder.rglob("*"))
            if path.is_file()
        }


class Releases:
    """The releases of one app, in order; a context manager that deletes them on exit."""

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="stateless-releases-"))
        self.history: list[Release] = []

    def build(
        self,
        app: str | Path,
        *,
        build_file: str | Path | None = None,
        src: str | Path | None = None,
    ) -> Release:
        """Make the next release: the app file, plus ``build(src, out)`` run once."""
        app = Path(app).resolve()
        if not app.exists():
            raise PlatformError(_("platform.error.no_app_file", app=app))
        number = len(self.history) + 1
        folder = self.root / f"release-{number}"
        folder.mkdir(parents=True)
        try:
            shutil.copy2(app, folder / app.name)
            out = folder / STATIC
            out.mkdir()
            if build_file is not None:
                source = Path(src).resolve() if src else folder
                _run_build(Path(build_file).resolve(), source, out)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)  # a failed build makes no release
            raise
        release = Release(number, f"v{number}-{_digest(folder)[:8]}", folder, folder / app.name)
        _make_read_only(folder)
        self.history.append(release)
        return release

    @property
    def current(self) -> Release | None:
        return self.history[-1] if self.history else None

    def close(self) -> None:
        _make_writable(self.root)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Releases:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _run_build(build_file: Path, src: Path, out: Path) -> None:
    if not build_file.exists():
        raise BuildFailed(_("platform.build.no_file", name=build_file.name))
    with tempfile.TemporaryDirectory(prefix="stateless-build-") as scratch:
        try:
            done = subprocess.run(
                [sys.executable, "-c", _BUILD_RUNNER, str(build_file), str(src), str(out)],
                cwd=scratch,
                capture_output=True,
                text=True,
                timeout=BUILD_SECONDS,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )
        except subprocess.TimeoutExpired as exc:
            raise BuildFailed(_("platform.build.too_long", seconds=BUILD_SECONDS)) from exc
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()
        if output:
            last = output.splitlines()[-1]
        else:
            last = _("platform.build.exit_status", code=done.returncode)
        raise BuildFailed(_("platform.build.failed", last=last), output[-2000:])


def _digest(folder: Path) -> str:
    """A content hash of the whole release: the same build of the same code, the same id."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _make_read_only(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _make_writable(folder: Path) -> None:
    if not folder.exists():
        return
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


# -- running and deploying ----------------------------------------------------------------
def start(release: Release, **cluster_kwargs):
    """A :class:`~autograder.cluster.Cluster` whose processes run from ``release``."""
    from .cluster import Cluster

    env = {**(cluster_kwargs.pop("env", None) or {}), **release.env()}
    cluster = Cluster(release.app_file, env=env, **cluster_kwargs)
    _note(cluster, _("platform.event.release_running", release=release.id, pids=cluster.pids))
    return cluster


def deploy(cluster, release: Release, between=None) -> None:
    """Rolling deploy of ``release``: restart one process at a time into the new release.

    ``between(slot)`` runs after each restart (send requests there: the old and the new
    release are then serving side by side).
    """
    old = cluster.env.get(RELEASE_ID, "?")
    _note(cluster, _("platform.event.deploy", old=old, new=release.id))
    # The next processes the cluster starts import the new release's app with its env.
    cluster.app = release.app_file
    cluster.env.update(release.env())
    for slot in range(len(cluster.processes)):
        cluster.restart(slot)
        cluster.events[-1].text += _("platform.event.in_release", release=release.id)
        if between is not None:
            between(slot)
    _note(cluster, _("platform.event.deployed", release=release.id, pids=cluster.pids))


def _note(cluster, text: str) -> None:
    from .cluster import Event

    cluster.events.append(Event(cluster.requests, "deploy", text))


__all__ = [
    "RELEASE_DIR",
    "RELEASE_ID",
    "BuildFailed",
    "Release",
    "Releases",
    "deploy",
    "start",
]
