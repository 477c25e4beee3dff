"""A real deployment: a Procfile started by honcho, gunicorn workers, real OS processes.

The notebooks before 09 run the learner's app on the course's simulated platform. Here it
runs under the tools of a real one: ``honcho start`` reads a Procfile and starts each
process type, the ``web`` type is gunicorn with several workers (``gunicorn_conf.py``
installs the disk guard in each worker before it imports the app), and the client is
``requests``. Redis is a real ``redis-server`` when one is installed (``redis_server.py``).

No orphans, whatever happens, by construction rather than by bookkeeping:

- every process of a deployment carries a marker in its environment
  (``COURSE_DEPLOYMENT=<uuid>``): a process inherits it from honcho whatever it does later
  (honcho starts each type in a session of its own; a daemon may call ``setsid``);
- teardown (``close()``: the context manager, ``atexit`` and every ``finally``) kills
  honcho's process group, then every process whose environment holds the marker and its
  process group, again until /proc shows none, and raises ``OrphansLeft`` if any survives.

An app process cannot take the marker out of its environment in a way /proc no longer
shows (``/proc/<pid>/environ`` is the environment the process was started with).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from .errors import AutograderError
from .marked import (  # noqa: F401 -- MARKER, OrphansLeft and marked are this module's API too
    KILL_SECONDS,
    MARKER,
    TYPE_VAR,
    OrphansLeft,
    Proc,
    free_port,
    kill_marked,
    listening_ports,
    marked,
)

_live: set[Deployment] = set()
_started: list[str] = []  # the marker of every deployment this interpreter started


class DeployFailed(AutograderError):
    """The deployment did not come up; the message ends with its last log lines."""


class Deployment:
    """One app deployed from a Procfile: ``{type: command}``, started by honcho.

    ``root`` is the deployment's own folder: ``release/`` holds the app files (honcho's
    working directory), ``disk/`` the processes' writable disk, ``honcho.log`` the logs.
    ``env`` is added to every process's environment (``REDIS_URL``, ...).
    """

    def __init__(
        self,
        procfile: dict[str, str],
        *,
        root: Path,
        env: dict[str, str] | None = None,
        scale: dict[str, int] | None = None,
    ):
        self.procfile = dict(procfile)
        self.root = Path(root)
        self.release = self.root / "release"
        self.disk = self.root / "disk"
        self.log_path = self.root / "honcho.log"
        self.scale = dict(scale or {})
        self.marker = uuid.uuid4().hex
        self.port = free_port()
        self.env = dict(env or {})
        self.honcho: subprocess.Popen | None = None
        self._log = None

    # -- life ---------------------------------------------------------------------------
    def start(self) -> Deployment:
        for folder in (self.release, self.disk / "tmp"):
            folder.mkdir(parents=True, exist_ok=True)
        lines = [f"{kind}: {TYPE_VAR}={kind} exec {cmd}" for kind, cmd in self.procfile.items()]
        (self.root / "Procfile").write_text("\n".join(lines) + "\n")
        (self.root / "empty.env").write_text("")
        command = [
            sys.executable, "-m", "honcho", "start", "--no-colour",
            "-f", str(self.root / "Procfile"), "-d", str(self.release),
            "-e", str(self.root / "empty.env"), "-p", str(self.port),
        ]  # fmt: skip
        if self.scale:
            command += ["-c", ",".join(f"{k}={n}" for k, n in self.scale.items())]
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": os.environ.get("LANG", "C.UTF-8"),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1",
            "HOME": str(self.disk),
            "TMPDIR": str(self.disk / "tmp"),
            "COURSE_DISK": str(self.disk),
            **{k: v for k, v in os.environ.items() if k.startswith("COURSE_LANG")},
            **self.env,
            MARKER: self.marker,
        }
        self._log = open(self.log_path, "wb")  # noqa: SIM115 -- closed by close()
        _live.add(self)
        _started.append(self.marker)
        self.honcho = subprocess.Popen(
            command,
            cwd=self.release,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def close(self) -> list[int]:
        """Kill every process of the deployment; assert that none is left. Idempotent."""
        killed: list[int] = []
        if self.honcho is not None:
            with contextlib.suppress(OSError):
                os.killpg(self.honcho.pid, signal.SIGKILL)
            try:
                killed = kill_marked(self.marker)
            finally:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.honcho.wait(timeout=KILL_SECONDS)
                if self._log is not None:
                    self._log.close()
                _live.discard(self)
        return killed

    def __enter__(self) -> Deployment:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- what a learner (and a check) can watch ------------------------------------------
    def processes(self) -> list[Proc]:
        return marked(self.marker)

    def listening(self, kind: str) -> set[int]:
        """The TCP ports the processes of type ``kind`` listen on (from /proc)."""
        return listening_ports(p.pid for p in self.processes() if p.kind == kind)

    def exited(self) -> int | None:
        """honcho's exit code once it has stopped (every process type ended), else None."""
        return None if self.honcho is None else self.honcho.poll()

    def logs(self, last: int | None = None) -> list[str]:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return []
        return lines[-last:] if last else lines

    def table(self) -> str:
        """The process list as ``ps`` would print it: pid, ppid, type, command."""
        rows = [f"{'PID':>7} {'PPID':>7} {'TYPE':<7} COMMAND"]
        for p in self.processes():
            rows.append(f"{p.pid:>7} {p.ppid:>7} {p.kind:<7} {shorten(p.command)}")
        return "\n".join(rows)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- gunicorn ----------------------------------------------------------------------------
    def web_master(self) -> int | None:
        """The gunicorn master: the web process whose parent is not a web process."""
        web = [p for p in self.processes() if p.kind == "web"]
        pids = {p.pid for p in web}
        masters = [p.pid for p in web if p.ppid not in pids and "gunicorn" in p.command]
        return masters[0] if masters else None

    def web_workers(self) -> list[int]:
        master = self.web_master()
        return [p.pid for p in self.processes() if master and p.ppid == master]

    def wait_for_workers(self, count: int, *, not_in=(), seconds: float = 15.0) -> list[int]:
        """Until ``count`` gunicorn workers run, none of them in ``not_in``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.exited() is not None:
                raise DeployFailed("\n".join(self.logs(last=15)))
            workers = [p for p in self.web_workers() if p not in not_in]
            if len(workers) >= count and not set(self.web_workers()) & set(not_in):
                return workers
            time.sleep(0.05)
        raise DeployFailed(f"{count} web workers did not come up in {seconds:.0f} s")

    def signal(self, pid: int, sig: int) -> None:
        """Send ``sig`` to a process of this deployment (and only to one of them)."""
        if pid not in {p.pid for p in self.processes()}:
            raise ValueError(f"pid {pid} is not a process of this deployment")
        os.kill(pid, sig)


def leftovers() -> list[Proc]:
    """Every process still running of every deployment this interpreter started (after
    the ``with`` blocks: none)."""
    return [proc for marker in _started for proc in marked(marker)]


def course_procfile(*, workers: int = 3, worker_app: str | None = None) -> dict[str, str]:
    """The Procfile the course runs: ``web`` is gunicorn with the course's configuration
    (the guard in every worker, no preload) serving ``autograder.served:app``, the app
    file named by ``COURSE_APP_FILE``; ``worker`` runs ``work_one()`` of ``worker_app``
    through the course's entry point. A learner's Procfile would say
    ``web: gunicorn names:app --workers 3`` and ``worker: python worker.py``."""
    procfile = {
        "web": f"{sys.executable} -m gunicorn -c python:autograder.gunicorn_conf "
        f"--workers {workers} autograder.served:app"
    }
    if worker_app:
        procfile["worker"] = f"{sys.executable} -m autograder.worker_process {worker_app}"
    return procfile


def deploy_app(
    app_file: str | Path,
    *,
    root: str | Path,
    redis_url: str,
    workers: int = 3,
    worker_app: str | Path | None = None,
    scale: dict[str, int] | None = None,
    env: dict[str, str] | None = None,
) -> Deployment:
    """A deployment (not started yet) of ``app_file``'s Flask ``app`` under gunicorn,
    and of ``worker_app``'s ``work_one()`` as the worker type, in the fresh folder
    ``root``: the files are copied, read-only, into its release folder."""
    root = Path(root)
    files = [Path(app_file)] + ([Path(worker_app)] if worker_app else [])
    copy_app(files, root / "release")
    procfile = course_procfile(
        workers=workers, worker_app=Path(worker_app).name if worker_app else None
    )
    env = {
        "REDIS_URL": redis_url,
        "COURSE_APP_FILE": str(root / "release" / Path(app_file).name),
        "WEB_CONCURRENCY": str(workers),
        **(env or {}),
    }
    return Deployment(procfile, root=root, env=env, scale=scale)


def shorten(command: str, width: int = 70) -> str:
    return command if len(command) <= width else command[: width - 1] + "…"


def copy_app(files: list[Path], release: Path) -> None:
    release.mkdir(parents=True, exist_ok=True)
    for path in files:
        target = release / Path(path).name
        if not target.exists():
            shutil.copy2(path, target)
            target.chmod(0o444)  # the release is read-only; processes write to disk/


@atexit.register
def _close_all() -> None:
    for deployment in list(_live):
        with contextlib.suppress(Exception):
            deployment.close()
