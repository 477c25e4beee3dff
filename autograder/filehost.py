"""The file host: a small HTTP server on 127.0.0.1 that serves files to the app's processes.

It plays the part of an object store or a partner's download server. The app finds it
through ``FILES_URL`` in its environment (``GET {FILES_URL}/orders.csv``) and downloads
with ``requests``, exactly as it would in production, so streaming, timeouts and status
codes are real. Like Redis, the platform starts it and stops it: the notebook has its own
(:func:`shared_host`), and every check starts a private one in its checker process.

Besides serving, the host can misbehave on purpose, once per file: cut the connection
half way through the body (the client sees a short read) or stall half way (the client
needs a timeout). That is how a check makes a download fail in the middle.

It also measures a process's disk, from outside: :func:`disk_files` walks the folder the
platform gave the process (a real OS process, which cannot hide what it left there).

A request can be paused half way through a download (``pause_after="DOWNLOADING"``):
the hook lives inside each app process, see :func:`autograder.pause_hooks.install_download_hook`.
"""

from __future__ import annotations

import atexit
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from .messages import _

FILES_URL = "FILES_URL"
# What a misbehaving download does half way through its body.
CUT = "cut"  # close the connection: the client reads fewer bytes than Content-Length
STALL = "stall"  # stop sending for a long while: only a client timeout ends the wait
MISSING = "missing"  # 404
STALL_SECONDS = 30.0


class _QuietServer(ThreadingHTTPServer):
    """A client that goes away mid-download (a killed process, a timeout) is normal here:
    no traceback on stderr, which would reach the notebook or fail an nbgrader cell."""

    def handle_error(self, request, client_address):
        pass


class FileHost:
    """Serves ``files`` (name -> bytes) at ``{url}/{name}``; a context manager."""

    def __init__(self, files: dict[str, bytes] | None = None):
        self.files: dict[str, bytes] = {}
        self.faults: dict[str, str] = {}  # name -> CUT | STALL, used by the next download
        self.downloads: list[tuple[str, int, str]] = []  # (name, status, fault) in order
        self.history: dict[str, list[bytes]] = {}  # name -> every version put, oldest first
        self._lock = threading.Lock()
        for name, data in (files or {}).items():
            self.put(name, data)
        self._closed = threading.Event()
        host = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the name http.server calls
                host._serve(self)

            def log_message(self, *args):  # keep the kernel's and the checker's stderr clean
                pass

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="autograder-filehost",
            daemon=True,
        )
        self._thread.start()
        address, port = self._server.server_address[:2]
        self.url = f"http://{address}:{port}/files"

    # -- what the platform (a demo or a check) does -------------------------------------
    def put(self, name: str, data: bytes | str) -> None:
        """Upload (or replace) a file."""
        with self._lock:
            data = data.encode() if isinstance(data, str) else bytes(data)
            self.files[name] = data
            self.history.setdefault(name, []).append(data)

    def reset(self) -> None:
        """Forget every file, fault and download (a check starts each seed from here)."""
        with self._lock:
            for kept in (self.files, self.faults, self.history, self.downloads):
                kept.clear()

    def remove(self, name: str) -> None:
        with self._lock:
            self.files.pop(name, None)

    def fail_next(self, name: str, how: str = CUT) -> None:
        """Make the next download of ``name`` fail half way (CUT or STALL)."""
        if how not in (CUT, STALL):
            raise ValueError(f"unknown fault {how!r}: use {CUT!r} or {STALL!r}")
        with self._lock:
            self.faults[name] = how

    def count(self, name: str) -> int:
        """How many times ``name`` was requested (any status)."""
        with self._lock:
            return sum(1 for seen, _status, _fault in self.downloads if seen == name)

    # -- serving ------------------------------------------------------------------------
    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        prefix = "/files/"
        name = unquote(handler.path[len(prefix) :]) if handler.path.startswith(prefix) else ""
        with self._lock:
            data = self.files.get(name)
            fault = self.faults.pop(name, "") if data is not None else ""
            self.downloads.append((name, 404 if data is None else 200, fault or ""))
        if data is None:
            body = f"no such file: {name}\n".encode()
            handler.send_response(404)
            handler.send_header("Content-Type", "text/plain")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "text/csv")
        handler.send_header("Content-Length", str(len(data)))
        if fault:
            handler.send_header("Connection", "close")
        handler.end_headers()
        if not fault:
            handler.wfile.write(data)
            return
        handler.wfile.write(data[: len(data) // 2])
        handler.wfile.flush()
        if fault == STALL:
            self._closed.wait(STALL_SECONDS)
        handler.close_connection = True

    def close(self) -> None:
        self._closed.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=2)

    def __enter__(self) -> FileHost:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<FileHost {self.url}: {len(self.files)} file(s)>"


_shared: FileHost | None = None


def shared_host() -> FileHost:
    """The notebook's own file host, started once; sets FILES_URL for the notebook."""
    global _shared
    if _shared is None:
        _shared = FileHost()
        atexit.register(_shared.close)
    os.environ[FILES_URL] = _shared.url
    return _shared


# -- a process's disk, read from outside ------------------------------------------------
def disk_files(root: str | Path) -> dict[str, int]:
    """Every file under ``root`` (a process's disk), relative path -> size in bytes."""
    root = Path(root)
    found = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            try:
                found[str(path.relative_to(root))] = path.stat().st_size
            except OSError:  # deleted while we looked
                continue
    return found


def disk_usage(root: str | Path) -> int:
    return sum(disk_files(root).values())


def process_disk(process) -> Path:
    """The folder the platform gave ``process`` (its working directory and its temp dir)."""
    return Path(process.root)


def enforce_quota(cluster, quota_bytes: int) -> list[str]:
    """Evict every process whose disk holds more than ``quota_bytes`` (as Kubernetes
    evicts a pod over its ephemeral-storage limit): it is killed and replaced, and the
    cluster's log says why. Returns one line per eviction."""
    lines = []
    for slot, process in enumerate(list(cluster.processes)):
        used = disk_usage(process_disk(process))
        if used > quota_bytes:
            old = process.pid
            cluster.kill(slot)
            line = _(
                "platform.event.evicted",
                old=old,
                used=used / 1024,
                quota=quota_bytes / 1024,
                new=cluster.processes[slot].pid,
            )
            cluster.events[-1].text = line
            lines.append(line)
    return lines


def install_download_pause() -> None:
    """Kept for notebooks written before every process was a real one: the pause half
    way through a download is always available now (each app process that imports
    urllib3 installs it, see :func:`autograder.pause_hooks.install_download_hook`), so
    there is nothing left to install in the notebook's own interpreter."""


__all__ = [
    "CUT",
    "FILES_URL",
    "STALL",
    "FileHost",
    "disk_files",
    "disk_usage",
    "enforce_quota",
    "install_download_pause",
    "process_disk",
    "shared_host",
]
