"""What the fork server imports before it forks, so that an app process's start costs a
fork and not its imports (see :mod:`autograder.launcher`).

Three things, all in the server and never a learner's file: the modules every app process
needs (``PRELOAD``), the library modules one app names in its imports (read from the file
without running it), and what every process would pay on its first Redis connection.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import importlib.util
import socket
import sys
import sysconfig
from pathlib import Path

# Imported once in the server, before any fork: what every app process needs. Not
# fakeredis: only the embedded Redis needs it, and it imports it after its own fork. A
# fork costs CPU in proportion to the server's memory (about 0.15 ms per MB on these
# machines), so the server holds nothing an app process does not use.
PRELOAD = (
    "json",
    "functools",
    "tempfile",
    "redis",
    "redis.client",
    "autograder.child",
)
# Library modules an app names are imported in the server too (see library_imports), but
# never these: importing them does something (opens a browser, prints a poem).
NEVER_PRELOAD = {"antigravity", "this", "__hello__", "__phello__", "idlelib", "turtle"}
_LIBRARY_ROOTS = tuple(
    {
        str(Path(p).resolve())
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if (p := sysconfig.get_paths().get(key))
    }
    | {str(Path(sys.base_prefix).resolve()), str(Path(sys.prefix).resolve())}
)


def library_imports(source_file: Path) -> list[str]:
    """Names of the modules a Python file imports (and their parent packages). The fork
    server imports those that are libraries (standard library, site-packages) before it
    forks the app's process, so the app's own imports cost nothing. Parsed once per
    version of the file: a check restarts the same app dozens of times."""
    try:
        stat = Path(source_file).stat()
    except OSError:
        return []
    key = (str(source_file), stat.st_mtime_ns, stat.st_size)
    if key not in _parsed:
        _parsed.clear()  # one app at a time: keep only the latest file's answer
        _parsed[key] = _library_imports(Path(source_file))
    return list(_parsed[key])


_parsed: dict[tuple, list[str]] = {}


def _library_imports(source_file: Path) -> list[str]:
    try:
        tree = ast.parse(source_file.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return []
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return sorted({".".join(n.split(".")[: i + 1]) for n in names for i in range(n.count(".") + 1)})


def import_libraries(names: list[str]) -> None:
    """In the server: import the named modules that are libraries; never a learner's file
    (a ``helper.py`` next to the app is not on the server's path, and its origin would
    not be a library folder anyway)."""
    for name in names:
        if name in sys.modules or name.split(".")[0] in NEVER_PRELOAD:
            continue
        try:
            spec = importlib.util.find_spec(name.split(".")[0])
        except (ImportError, ValueError):
            continue
        origin = getattr(spec, "origin", None) if spec else None
        if origin is None or not (
            origin in ("built-in", "frozen")
            or str(Path(origin).resolve()).startswith(_LIBRARY_ROOTS)
        ):
            continue
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def import_platform() -> None:
    """In the server, once: the modules every app process needs, and the first
    connection's costs paid here."""
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    _warm_first_connection()


def _warm_first_connection() -> None:
    """Pay here, once, what every app process would pay again on its first Redis
    connection (together about 15 ms of CPU per process start, measured):

    - the first ``getaddrinfo`` of a process imports the IDNA codec (with
      ``unicodedata``) and loads the C library's name-service modules;
    - redis-py asks ``importlib.metadata`` for its own version on every new connection
      (to announce it with CLIENT SETINFO), a scan of site-packages each time. The
      answer cannot change while the process lives, so it is remembered.
    """
    for host in ("127.0.0.1", "localhost"):
        with contextlib.suppress(OSError):
            socket.getaddrinfo(host, 6379, 0, socket.SOCK_STREAM)
    with contextlib.suppress(ImportError, AttributeError):
        import redis.utils

        redis.utils.get_lib_version = functools.cache(redis.utils.get_lib_version)
        redis.utils.get_lib_version()
