"""An app process: one running instance of the learner's app file, in an OS process of its own.

This module is the child's side of :mod:`autograder.protocol`. The child is started by the
fork server (or spawned fresh), gets its configuration as the first message, makes itself
a process of the platform (its own environment, working directory, temp dir, memory
ceiling and process group, the disk guard), imports the app file, and then answers the
parent's requests until it is told to stop or is killed.

Nothing here decides a grade: the child only runs the app and reports what it did. The
judge (scenario engine, models, expected values, Result) lives in the parent.
"""

from __future__ import annotations

import importlib.util
import io
import os
import resource
import sys
import tempfile
from multiprocessing.connection import Connection
from pathlib import Path

from . import pause_hooks, protocol
from .guard import REFUSALS, DiskGuard
from .pause import command_kind, reached

# A ceiling well above any honest answer: a runaway allocation fails with MemoryError in
# this process instead of pushing the machine into swap.
MEMORY_LIMIT_BYTES = 2 * 1024**3
SHUTDOWN_HOOK = "on_shutdown"
# Message keys whose templates the parent sends with the configuration: the texts an app
# process itself may have to write (the catalogue is not loaded here).
TEXTS = (*REFUSALS, "platform.error.no_handler", "platform.error.no_wsgi_app")
_real_getpid = os.getpid


class Abandoned(BaseException):
    """Raised inside a paused request whose process is going away."""


def main(fd: int) -> None:
    """Run as an app process on connection ``fd``; never returns."""
    try:
        _die_with_parent()
        conn = Connection(fd)
        config = conn.recv()  # from the parent, trusted
        App(conn, config).serve()
    finally:
        os._exit(0)


def _die_with_parent() -> None:
    """Linux: if the fork server (our parent) goes, so do we (no orphans ever)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


class App:
    def __init__(self, conn: Connection, config: dict):
        self.conn = conn
        self.config = config
        self.app_file = Path(config["app_file"])
        self.pid = config["pid"]
        self.module = None
        self.pause_after = None
        self.armed = False
        self.commands: list[tuple[str, str, str]] = []  # (name, "NAME key", kind)
        self.me = _real_getpid()
        self.texts = config.get("texts", {})  # the platform's texts, in the course language

    # -- becoming a process of the platform ---------------------------------------------
    def _become_process(self) -> None:
        root = Path(self.config["root"])
        cwd, tmp = root / "app", root / "tmp"
        cwd.mkdir(parents=True, exist_ok=True)
        tmp.mkdir(parents=True, exist_ok=True)
        _quiet_descriptors()
        _limit_memory()
        os.environ.clear()
        os.environ.update({**self.config["env"], "TMPDIR": str(tmp), "HOME": str(cwd)})
        os.chdir(cwd)
        tempfile.tempdir = str(tmp)
        sys.path.insert(0, str(self.app_file.parent))
        sys.argv[:] = [str(self.app_file)]
        # Compiling the app must not write __pycache__ next to it (that is not its disk).
        sys.dont_write_bytecode = True
        # The platform numbers its processes (1001, 1002, ...) as a container's pid
        # namespace would; the app sees the number the platform's log shows.
        os.getpid = lambda: self.pid
        pause_hooks.install_redis_hook(self._after_command)
        self.guard = DiskGuard(str(root), self.pid, self.texts)
        self.guard.install()

    def serve(self) -> None:
        self._become_process()
        # Everything the app prints lands here and crosses the pipe with each answer.
        self.output = sys.stdout = sys.stderr = io.StringIO()
        try:
            self.module = _import(self.app_file)
        except BaseException as exc:  # noqa: BLE001 -- whatever the app did, report it
            self._send(("crashed", describe(exc, self.app_file), self._printed()))
            return
        if "urllib3.response" in sys.modules:  # the app downloads (requests, urllib3)
            pause_hooks.install_download_hook(
                self._after_command, lambda: self.pause_after is not None
            )
        self._send(("started", self._printed()))
        while True:
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                return  # the parent is gone, or the app closed our pipe
            self._handle(message)

    def _handle(self, message) -> None:
        op = message[0]
        if op == "call":
            _, handler, args, pause_after = message
            self._request(lambda: self._call(handler, args), pause_after)
        elif op == "wsgi":
            _, method, path, cookies, form, json, pause_after = message
            self._request(lambda: self._wsgi(method, path, cookies, form, json), pause_after)
        elif op == "hammer":
            self._hammer(*message[1:])
        elif op == "memory":
            self._send(("memory", self._memory(message[1])))
        elif op == "handlers":
            self._send(("handlers", self._handlers()))
        elif op == "stop":
            self._send(("stopped", *self._shutdown()))
            os._exit(0)

    def _send(self, reply) -> None:
        if _real_getpid() != self.me:
            os._exit(0)  # a child the app forked must never answer for it
        try:
            data = protocol.dumps(reply)
        except BaseException as exc:  # noqa: BLE001 -- e.g. a value nested too deep
            error = describe(exc, self.app_file)
            data = protocol.dumps(("done", None, error, "", self.guard.take_violations(), [], []))
        try:
            self.conn.send_bytes(data)
        except OSError:
            os._exit(0)

    # -- requests ---------------------------------------------------------------------
    def _request(self, run, pause_after) -> None:
        # A request may arrive while another one is paused (served on top of it, as a
        # second thread of a real server would): keep the paused one's state.
        outer = self.pause_after, self.armed, self.commands
        self.pause_after, self.armed, self.commands = pause_after, pause_after is not None, []
        value = error = None
        try:
            value = run()
        except Abandoned:
            self._send(("abandoned",))
            return
        except BaseException as exc:  # noqa: BLE001 -- reported, the process lives on
            error = describe(exc, self.app_file)
        finally:
            commands = list(self.commands)
            self.pause_after, self.armed, self.commands = outer
        violations = self.guard.take_violations()
        names, sent = [c[0] for c in commands], [c[1] for c in commands]
        self._send(("done", value, error, self._printed(), violations, names, sent))

    def _hammer(self, handler: str, args: dict, times: int) -> None:
        """Load: say "armed", wait for "go" (the parent sends it to every process once all
        are armed, so they start together), then call ``handler`` ``times`` times.
        Answers the list of values, or the first error."""
        self._send(("armed",))
        try:
            go = self.conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        if go[0] != "go":
            return self._handle(go)
        values, error = [], None
        for _unused in range(times):
            try:
                values.append(self._call(handler, args))
            except BaseException as exc:  # noqa: BLE001 -- reported, the process lives on
                values, error = None, describe(exc, self.app_file)
                break
        violations = self.guard.take_violations()
        self._send(("done", values, error, self._printed(), violations, [], []))

    def _printed(self) -> str:
        """What the app printed since the last answer (and the app's own redirections
        of sys.stdout are undone: the next request prints here again)."""
        text = self.output.getvalue()
        self.output.seek(0)
        self.output.truncate()
        sys.stdout = sys.stderr = self.output
        return protocol.clip_output(text)

    def _call(self, handler: str, args: dict):
        function = getattr(self.module, handler, None)
        if not callable(function):
            raise _Missing(self._text("platform.error.no_handler", handler=handler))
        return function(**args)

    def _wsgi(self, method, path, cookies, form, json):
        from .http import WSGI_NAME, Browser, build_environ, call_wsgi

        app = getattr(self.module, WSGI_NAME, None)
        if not callable(app):
            raise _Missing(self._text("platform.error.no_wsgi_app", name=WSGI_NAME))
        config = getattr(app, "config", None)
        if isinstance(config, dict):
            # A view that raises becomes an error the feedback can point at, not a bare 500.
            config["PROPAGATE_EXCEPTIONS"] = True
        browser = Browser("", dict(cookies))
        return call_wsgi(app, build_environ(method, path, browser, form=form, json=json))

    def _text(self, key: str, **values) -> str:
        try:
            return self.texts[key].format(**values)
        except (KeyError, IndexError, ValueError):
            return f"{key} {values}"  # never expected: the parent sends every template

    def _after_command(self, name: str, text: str | None = None, kind: str | None = None):
        if self.pause_after is None:
            return
        self.commands.append((name, text or name, kind or command_kind(name)))
        if not (self.armed and reached(self.pause_after, self.commands)):
            return
        self.armed = False
        self._send(("paused", [c[0] for c in self.commands], [c[1] for c in self.commands]))
        while True:  # other requests may be served meanwhile; then resume or abandon
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                os._exit(0)
            if message[0] == "resume":
                return
            if message[0] == "abandon":
                raise Abandoned
            self._handle(message)

    def _shutdown(self):
        hook = getattr(self.module, SHUTDOWN_HOOK, None)
        if not callable(hook):
            return None, ""
        try:
            hook()
        except BaseException as exc:  # noqa: BLE001
            return describe(exc, self.app_file), self._printed()
        return None, self._printed()

    # -- looking inside (for the dashboard and the workload guesser) ----------------------
    def _memory(self, limit: int) -> dict[str, str]:
        summary = {}
        for key, value in list(vars(self.module).items()):
            if key.startswith("_") or callable(value) or type(value).__name__ == "module":
                continue
            text = protocol._repr(value)
            summary[key] = text if len(text) < 60 else text[:57] + "..."
            if len(summary) >= limit:
                break
        return summary

    def _handlers(self) -> dict[str, list[tuple[str, int, bool]]]:
        import inspect

        found = {}
        for name, value in list(vars(self.module).items()):
            if (
                inspect.isfunction(value)
                and value.__module__ == self.module.__name__
                and not name.startswith("_")
                and name != SHUTDOWN_HOOK
            ):
                try:
                    parameters = inspect.signature(value).parameters.values()
                except (TypeError, ValueError):
                    continue
                found[name] = [(p.name, int(p.kind), p.default is not p.empty) for p in parameters]
        return found


class _Missing(Exception):
    """The handler (or the WSGI app) the platform was asked to call does not exist."""


def _import(app_file: Path):
    name = app_file.stem
    spec = importlib.util.spec_from_file_location(name, app_file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _quiet_descriptors() -> None:
    """What the app writes below Python's print goes nowhere (prints are captured)."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def _limit_memory() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT_BYTES if hard == resource.RLIM_INFINITY else min(hard, MEMORY_LIMIT_BYTES)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def describe(exc: BaseException, app_file: Path) -> dict:
    """Type, message and the last line of the learner's own file in the traceback."""
    import traceback

    if isinstance(exc, _Missing):
        return {"kind": "MissingHandler", "message": str(exc), "where": ""}
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve().parent == app_file.resolve().parent:
            where = f"{Path(frame.filename).name}, line {frame.lineno}: {frame.line or ''}".strip()
    try:
        message = str(exc)
    except Exception:  # noqa: BLE001 -- a broken __str__ is the app's
        message = ""
    if len(message) > 300:
        message = message[:300] + "..."
    return {"kind": type(exc).__name__, "message": message, "where": where}


if __name__ == "__main__":  # the spawn start method: a fresh interpreter per process
    os.setpgrp()
    main(int(sys.argv[1]))
