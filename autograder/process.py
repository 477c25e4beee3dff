"""One simulated process: one running instance of the learner's app file."""

from __future__ import annotations

import copy
import importlib.util
import io
import shutil
import sys
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AppCrashed, AppNotFound, PlatformError
from .sandbox import ProcessWorld, imported_modules, preload_libraries

# The function an app may define to run on a graceful stop (like a SIGTERM handler).
SHUTDOWN_HOOK = "on_shutdown"


@dataclass
class Served:
    """What happened to one request: who served it and what the user got back."""

    seq: int
    handler: str
    args: dict
    pid: int
    slot: int
    user: str | None = None
    value: object = None
    error: dict | None = None
    output: str = ""
    note: str = ""  # what the platform did to it, e.g. paused it mid-request

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class ErrorInfo:
    kind: str
    message: str
    where: str = ""

    def as_dict(self) -> dict:
        return {"kind": self.kind, "message": self.message, "where": self.where}


def describe_exception(exc: BaseException, app_file: Path) -> dict:
    """Type, message and the last line of the learner's own file in the traceback."""
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve().parent == app_file.resolve().parent:
            where = f"{Path(frame.filename).name}, line {frame.lineno}: {frame.line or ''}".strip()
    message = str(exc)
    if len(message) > 300:
        message = message[:300] + "..."
    return ErrorInfo(type(exc).__name__, message, where).as_dict()


@dataclass
class SimProcess:
    """A process of the app: started from the file, with its own private world.

    ``capture_output`` keeps what the app prints (the checker shows it in feedback);
    in a notebook demo it is off so learners see their prints as they happen.
    """

    app_file: Path
    pid: int
    slot: int
    base_dir: Path
    env: dict[str, str]
    capture_output: bool = True
    started_at: float = field(default_factory=time.monotonic)
    requests_served: int = 0
    alive: bool = False

    def __post_init__(self):
        self.app_file = Path(self.app_file).resolve()
        root = Path(self.base_dir) / f"pid-{self.pid}"
        self.world = ProcessWorld(
            pid=self.pid,
            root=root,
            env={**self.env, "PORT": str(5000 + self.slot), "DYNO": f"web.{self.slot + 1}"},
            app_dir=self.app_file.parent,
            libraries=imported_modules(self.app_file),
        )
        self.module = None

    @property
    def name(self) -> str:
        return f"web.{self.slot + 1}"

    @property
    def module_name(self) -> str:
        return self.app_file.stem

    def start(self) -> None:
        """Import the app file into a fresh module, inside the process's own world."""
        if not self.app_file.exists():
            raise AppNotFound(str(self.app_file))
        preload_libraries(self.world.libraries)
        spec = importlib.util.spec_from_file_location(self.module_name, self.app_file)
        module = importlib.util.module_from_spec(spec)
        output = io.StringIO()
        with self.world:
            sys.modules[self.module_name] = module
            try:
                with _maybe_capture(self.capture_output, output):
                    spec.loader.exec_module(module)
            except (Exception, SystemExit) as exc:
                sys.modules.pop(self.module_name, None)
                self.start_output = output.getvalue()
                raise AppCrashed(describe_exception(exc, self.app_file)) from exc
        self.start_output = output.getvalue()
        self.module = module
        self.alive = True
        self.started_at = time.monotonic()

    def has_handler(self, name: str) -> bool:
        return callable(getattr(self.module, name, None))

    def call(self, handler: str, args: dict, *, seq: int, user: str | None) -> Served:
        """Run one request in this process and record exactly what the user got."""
        if not self.alive:
            raise PlatformError(f"process {self.pid} is not running")
        served = Served(
            seq=seq, handler=handler, args=dict(args), pid=self.pid, slot=self.slot, user=user
        )
        function = getattr(self.module, handler, None)
        if not callable(function):
            served.error = ErrorInfo(
                "MissingHandler", f"the app has no function named {handler}()"
            ).as_dict()
            return served
        # A copy: what the user saw must not change if the app mutates it later.
        return self._serve(served, lambda: copy.deepcopy(function(**copy.deepcopy(args))))

    def call_wsgi(self, method: str, path: str, browser, *, seq: int, form=None, json=None):
        """Run one HTTP request from ``browser`` through the app's WSGI callable ``app``."""
        from .http import WSGI_NAME, build_environ, call_wsgi

        if not self.alive:
            raise PlatformError(f"process {self.pid} is not running")
        args = {"path": path, **({"form": form} if form is not None else {})}
        if json is not None:
            args["json"] = json
        served = Served(
            seq=seq,
            handler=f"{method.upper()} {path}",
            args=args,
            pid=self.pid,
            slot=self.slot,
            user=browser.user,
        )
        app = getattr(self.module, WSGI_NAME, None)
        if not callable(app):
            served.error = ErrorInfo(
                "MissingHandler", f"the app file defines no WSGI application named {WSGI_NAME}"
            ).as_dict()
            return served
        config = getattr(app, "config", None)
        if isinstance(config, dict):
            # A view that raises becomes an error the feedback can point at, not a bare 500.
            config["PROPAGATE_EXCEPTIONS"] = True
        environ = build_environ(method, path, browser, form=form, json=json)
        served = self._serve(served, lambda: call_wsgi(app, environ))
        if served.error is None:
            browser.receive(served.value)
        return served

    def _serve(self, served: Served, run) -> Served:
        """Run ``run()`` inside this process's world and record its value or error."""
        output = io.StringIO()
        with self.world:
            try:
                with _maybe_capture(self.capture_output, output):
                    served.value = run()
            except (Exception, SystemExit) as exc:
                served.error = describe_exception(exc, self.app_file)
        served.output = output.getvalue()
        self.requests_served += 1
        return served

    def stop(self, *, graceful: bool) -> dict | None:
        """End the process. Graceful runs the app's ``on_shutdown()``; a kill does not.

        Either way the process's memory, environment and disk are thrown away, and its
        open sockets are closed, as the operating system would.
        """
        problem = None
        if self.alive and graceful and self.has_handler(SHUTDOWN_HOOK):
            with self.world:
                try:
                    getattr(self.module, SHUTDOWN_HOOK)()
                except (Exception, SystemExit) as exc:
                    problem = describe_exception(exc, self.app_file)
        self.alive = False
        # Inside the world: redis-py's pools compare os.getpid() with the pid that made
        # them, and outside it they would think they were forked and drop, not close,
        # their sockets.
        with self.world:
            self._close_sockets()
        self.module = None
        self.world.modules.clear()
        shutil.rmtree(self.world.root, ignore_errors=True)
        return problem

    def _close_sockets(self) -> None:
        import redis  # the one client library the course's apps use

        for module in list(self.world.modules.values()):
            for value in list(getattr(module, "__dict__", {}).values()):
                if isinstance(value, (redis.Redis, redis.ConnectionPool)):
                    try:
                        value.close()
                    except Exception:  # noqa: BLE001 -- a broken client is closed anyway
                        pass

    def memory_summary(self, limit: int = 8) -> dict[str, str]:
        """Module-level values the app holds in memory (its globals), for the dashboard."""
        summary = {}
        if self.module is None:
            return summary
        for key, value in vars(self.module).items():
            if key.startswith("_") or callable(value) or type(value).__name__ == "module":
                continue
            text = repr(value)
            summary[key] = text if len(text) < 60 else text[:57] + "..."
            if len(summary) >= limit:
                break
        return summary


class _maybe_capture:
    def __init__(self, enabled: bool, sink: io.StringIO):
        self.enabled = enabled
        self.sink = sink
        self._contexts = []

    def __enter__(self):
        if self.enabled:
            self._contexts = [redirect_stdout(self.sink), redirect_stderr(self.sink)]
            for context in self._contexts:
                context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in reversed(self._contexts):
            context.__exit__(*exc)
        return False
