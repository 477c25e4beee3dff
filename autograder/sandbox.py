"""What makes a simulated process a process: its own globals, environment, disk and pid.

Every simulated process runs in the one Python interpreter of the kernel (or the checker).
To be honest about factor VI, each call into a process *switches in* that process's world
and *switches it out* afterwards, like a tiny operating system:

- modules the app brought with it (the app file, a ``helper.py`` beside it, anything not
  from the standard library or site-packages) live in the process, not in ``sys.modules``;
- ``os.environ``, the working directory and the temp dir are the process's own;
- attributes the app added to or changed on ``builtins``, ``sys``, ``os`` and ``__main__``,
  and on any library module it imports (``import json; json.visits = {}``), are taken
  away again after each call and handed back only to the same process;
- ``os.getpid()`` answers the simulated pid;
- writing a file outside the process's own disk is refused (an audit hook sees every open).

A restart throws the process object away, so none of this survives it, exactly like memory
and local disk on a real platform. Only the backing service is shared.
"""

from __future__ import annotations

import ast
import builtins
import os
import sys
import sysconfig
import tempfile
import threading
from pathlib import Path
from types import ModuleType

import __main__

_local = threading.local()

# Modules whose attributes an app might use to smuggle state past a restart.
_WATCHED_MODULES = {"builtins": builtins, "sys": sys, "os": os, "__main__": __main__}
# Attributes the interpreter itself changes while code runs; not state of the app.
_VOLATILE = {
    "sys": {"last_type", "last_value", "last_traceback", "last_exc", "exc_info", "_"},
    "builtins": {"_", "__"},
    "__main__": {"_", "__", "___", "_i", "_ii", "_iii", "Out", "_oh", "In", "_ih", "_dh"},
    "os": set(),
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_PATH_EVENTS = {
    "os.remove": 0,
    "os.rmdir": 0,
    "os.mkdir": 0,
    "os.truncate": 0,
    "os.chmod": 0,
    "os.rename": 1,  # also os.replace: the destination is what gets written
    "os.symlink": 1,
    "os.link": 1,
    "shutil.rmtree": 0,
    "sqlite3.connect": 0,
}
_shared_roots = tuple(
    {
        str(Path(p).resolve())
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if (p := sysconfig.get_paths().get(key))
    }
    | {str(Path(sys.base_prefix).resolve()), str(Path(sys.prefix).resolve())}
    | {str(Path(__file__).resolve().parent)}
)


_real_getpid = os.getpid


def _simulated_getpid() -> int:
    process = getattr(_local, "process", None)
    return process.pid if process is not None else _real_getpid()


def active_process():
    """The simulated process running on this thread right now, or None."""
    return getattr(_local, "process", None)


def _audit(event: str, args: tuple) -> None:
    proc = getattr(_local, "process", None)
    if proc is None or getattr(_local, "auditing", False):
        return
    if event in ("os.kill", "os.killpg"):
        # The simulated pid may be a real pid of some other program: never signal it.
        raise PermissionError(
            f"[simulated platform] process {proc.pid} may not send signals (pid {args[0]})"
        )
    path = None
    if event == "open":
        target, mode, flags = args
        writes = (isinstance(flags, int) and flags & _WRITE_FLAGS) or (
            isinstance(mode, str) and any(c in mode for c in "wax+")
        )
        if writes and isinstance(target, (str, bytes, os.PathLike)):
            path = target
    elif event in _PATH_EVENTS:
        target = args[_PATH_EVENTS[event]]
        if isinstance(target, (str, bytes, os.PathLike)):
            path = target
    if path is not None:
        _local.auditing = True  # the check below may itself touch the file system
        try:
            proc.guard_write(os.fsdecode(path), event)
        finally:
            _local.auditing = False


_hook_installed = False


def install_audit_hook() -> None:
    """Install the (permanent, process-wide) audit hook once; it is inert outside a process."""
    global _hook_installed
    if not _hook_installed:
        sys.addaudithook(_audit)
        _hook_installed = True


def is_shared_module(module) -> bool:
    """True for library modules (stdlib, site-packages, this package); those stay shared."""
    file = getattr(module, "__file__", None)
    if file is None:
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None)
        return origin in ("built-in", "frozen") or (
            getattr(module, "__name__", None) in sys.builtin_module_names
        )
    resolved = str(Path(file).resolve())
    return resolved.startswith(_shared_roots)


def imported_modules(source_file: Path) -> set[str]:
    """Names of the modules a Python file imports (and their parent packages)."""
    try:
        tree = ast.parse(Path(source_file).read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {".".join(n.split(".")[: i + 1]) for n in names for i in range(n.count(".") + 1)}


def preload_libraries(names: set[str]) -> None:
    """Import the library modules an app will import, before its world is entered.

    Then the world's snapshot of them is taken before the app first touches them, and
    whatever the app sets on them at import time goes with the process. Only modules of
    the standard library or site-packages are imported here; the app's own (a helper
    next to it) are never, and a module that fails to import is left for the app to fail on.
    """
    import importlib
    import importlib.util

    for name in sorted(names):
        if name in sys.modules:
            continue
        try:
            spec = importlib.util.find_spec(name.split(".")[0])
        except (ImportError, ValueError):
            continue
        origin = getattr(spec, "origin", None) if spec else None
        if origin is None or not (
            origin in ("built-in", "frozen")
            or str(Path(origin).resolve()).startswith(_shared_roots)
        ):
            continue
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 -- ``from json import dumps`` names no module
            continue


def _library_modules_in(modules: dict) -> set[str]:
    """Library modules that the process's own modules hold in their globals."""
    found = set()
    for own in list(modules.values()):
        for value in list(getattr(own, "__dict__", {}).values()):
            if isinstance(value, ModuleType) and is_shared_module(value):
                found.add(value.__name__)
    return found


class ProcessWorld:
    """The private world of one simulated process, and the switch in and out of it."""

    def __init__(
        self,
        *,
        pid: int,
        root: Path,
        env: dict[str, str],
        app_dir: Path,
        libraries: set[str] | None = None,
    ):
        self.pid = pid
        self.root = root
        self.cwd = root / "app"
        self.tmp = root / "tmp"
        self.cwd.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.env = {**env, "TMPDIR": str(self.tmp), "HOME": str(self.cwd)}
        self.app_dir = app_dir
        self.argv = [str(app_dir)]
        self.modules: dict[str, object] = {}
        self.extras: dict[str, dict[str, object]] = {name: {} for name in _WATCHED_MODULES}
        # Library modules the app uses (from its imports, and found in its globals), and
        # what it added to or changed on them: like ``extras``, but for any library.
        self.libraries: set[str] = set(libraries or ()) - set(_WATCHED_MODULES)
        self.library_extras: dict[str, dict[str, object]] = {}
        self.violations: list[dict] = []
        self._outside: dict | None = None

    # -- disk ---------------------------------------------------------------------------
    def guard_write(self, path: str, event: str) -> None:
        resolved = os.path.realpath(os.path.join(os.getcwd(), path))
        if resolved == os.devnull or resolved.startswith(str(self.root.resolve()) + os.sep):
            return
        self.violations.append({"path": resolved, "event": event})
        raise PermissionError(
            f"[simulated platform] process {self.pid} may only write to its own disk "
            f"(its working directory or tempfile.gettempdir()), not to {resolved}"
        )

    # -- switching --------------------------------------------------------------------
    def __enter__(self) -> ProcessWorld:
        if getattr(_local, "process", None) is not None:
            raise RuntimeError("a simulated process is already running on this thread")
        install_audit_hook()
        # Before anything else changes (the world itself sets tempfile.tempdir).
        libraries = self._snapshot_libraries()
        outside = {
            "watched": {name: dict(vars(mod)) for name, mod in _WATCHED_MODULES.items()},
            "module_names": set(sys.modules),
            "displaced": {},
            "environ": dict(os.environ),
            "cwd": os.getcwd(),
            "tempdir": tempfile.tempdir,
            "sys_path": list(sys.path),
            "argv": list(sys.argv),
            "dont_write_bytecode": sys.dont_write_bytecode,
            "libraries": libraries,
        }
        self._outside = outside
        for name, module in self.modules.items():
            if name in sys.modules:
                outside["displaced"][name] = sys.modules[name]
            sys.modules[name] = module
        outside["module_names"] -= set(self.modules)
        for name, attrs in self.extras.items():
            target = vars(_WATCHED_MODULES[name])
            for attr, value in attrs.items():
                target[attr] = value
        for name, attrs in self.library_extras.items():
            if name in libraries:
                vars(sys.modules[name]).update(attrs)
        os.environ.clear()
        os.environ.update(self.env)
        os.chdir(self.cwd)
        tempfile.tempdir = str(self.tmp)
        sys.path.insert(0, str(self.app_dir))
        sys.argv[:] = self.argv
        # Compiling the app must not write __pycache__ next to it (that is not its disk).
        sys.dont_write_bytecode = True
        # Only the thread running the process sees the simulated pid: Jupyter's own
        # threads call os.getpid() too (to tag messages) and must keep the real one.
        os.getpid = _simulated_getpid
        _local.process = self
        return self

    def __exit__(self, *exc) -> None:
        outside = self._outside
        _local.process = None
        os.getpid = outside["watched"]["os"]["getpid"]
        sys.dont_write_bytecode = outside["dont_write_bytecode"]
        sys.path[:] = outside["sys_path"]
        self.argv = list(sys.argv)
        sys.argv[:] = outside["argv"]
        tempfile.tempdir = outside["tempdir"]
        try:
            self.cwd = Path(os.getcwd())
        except FileNotFoundError:  # the app removed its own working directory
            self.cwd = self.root
        os.chdir(outside["cwd"])
        self.env = dict(os.environ)
        os.environ.clear()
        os.environ.update(outside["environ"])
        self._take_back_attributes(outside["watched"])
        self._take_back_modules(outside)
        self._take_back_library_attributes(outside["libraries"])
        self.libraries |= _library_modules_in(self.modules) - set(_WATCHED_MODULES)
        self._outside = None

    def _snapshot_libraries(self) -> dict[str, dict]:
        snapshot = {}
        for name in self.libraries:
            module = sys.modules.get(name)
            if module is not None and is_shared_module(module):
                snapshot[name] = dict(vars(module))
        return snapshot

    def _take_back_library_attributes(self, before: dict[str, dict]) -> None:
        """What the app set on a library module goes with the process, not the library.

        Submodule bindings (``xml.etree`` appearing on ``xml``) are the import system's
        doing, not the app's state, and dunder names belong to Python: both are left.
        """
        for name, old in before.items():
            module = sys.modules.get(name)
            if module is None:
                continue
            current = vars(module)
            for attr in list(current):
                value = current[attr]
                if attr.startswith("__") or isinstance(value, ModuleType):
                    continue
                if attr not in old or value is not old[attr]:
                    self.library_extras.setdefault(name, {})[attr] = value
                    if attr in old:
                        current[attr] = old[attr]
                    else:
                        del current[attr]
            for attr, value in old.items():
                if attr not in current:
                    current[attr] = value

    def _take_back_attributes(self, before: dict[str, dict]) -> None:
        for name, module in _WATCHED_MODULES.items():
            current = vars(module)
            old = before[name]
            volatile = _VOLATILE[name]
            for attr in list(current):
                if attr in volatile:
                    continue
                if attr not in old or current[attr] is not old[attr]:
                    self.extras[name][attr] = current[attr]
                    if attr in old:
                        current[attr] = old[attr]
                    else:
                        del current[attr]
            for attr, value in old.items():
                if attr not in current and attr not in volatile:
                    current[attr] = value  # the app deleted a shared attribute: put it back

    def _take_back_modules(self, outside: dict) -> None:
        for name in list(sys.modules):
            module = sys.modules[name]
            new = name not in outside["module_names"]
            if name in self.modules or (new and not is_shared_module(module)):
                self.modules[name] = module
                del sys.modules[name]
        sys.modules.update(outside["displaced"])
