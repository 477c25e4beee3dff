"""Redis for a deployment: a real ``redis-server`` when one is installed, else fakeredis.

A real server runs as a process of its own on a free port of 127.0.0.1, with no
persistence (``--save "" --appendonly no``) and its own folder, marked like a deployment's
processes (``deploy.MARKER``) so that teardown finds it whatever happens. Without the
binary, the course's embedded fakeredis TCP server stands in, and ``kind`` says so.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid

import redis

from .marked import MARKER, free_port, kill_marked

REAL, FAKE, ATTACHED = "redis-server", "fakeredis", "attached"


class DeploymentRedis:
    """``url``, ``kind`` (REAL, FAKE or ATTACHED), ``describe()``, ``admin``; a context
    manager. ``fallback`` is a ``backing.RedisService`` used when there is no binary (or
    that already points at a Redis of the caller's: then it is used as it is)."""

    def __init__(self, fallback=None):
        from .backing import ATTACHED as SERVICE_ATTACHED

        self.marker = uuid.uuid4().hex
        self.proc: subprocess.Popen | None = None
        self._folder = None
        self._own_fallback = None
        self.version = ""
        binary = shutil.which("redis-server")
        if fallback is not None and fallback.kind == SERVICE_ATTACHED:
            self.kind, self.url = ATTACHED, fallback.url
        elif binary:
            self.kind, self.url = REAL, self._start(binary)
        else:
            if fallback is None:
                from .backing import RedisService

                fallback = self._own_fallback = RedisService()
            self.kind, self.url = FAKE, fallback.url
        self.admin = redis.Redis.from_url(self.url, decode_responses=True)
        atexit.register(self.close)  # a notebook's server goes with its kernel
        if self.kind == REAL:
            self.version = self.admin.info("server").get("redis_version", "")

    def _start(self, binary: str) -> str:
        self._folder = tempfile.TemporaryDirectory(prefix="course-redis-")
        port = free_port()
        self.proc = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self._folder.name, "--loglevel", "warning"],
            env={MARKER: self.marker, "PATH": "/usr/bin:/bin"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        url = f"redis://127.0.0.1:{port}/0"
        client = redis.Redis.from_url(url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 5
        while True:
            try:
                client.ping()
                return url
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.close()
                    raise
                time.sleep(0.02)
            finally:
                client.close()

    def describe(self) -> str:
        if self.kind == REAL:
            return f"redis-server {self.version} at {self.url}"
        if self.kind == FAKE:
            return f"fakeredis TCP server at {self.url} (no redis-server installed)"
        return f"the Redis at {self.url}"

    def flush(self) -> None:
        self.admin.flushdb()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.admin.close()
        if self.proc is not None:
            # redis-server rewrites its process title over its environment, so the marker
            # is not in /proc/<pid>/environ: its own session is what finds it.
            with contextlib.suppress(OSError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            try:
                kill_marked(self.marker)
            finally:
                self.proc.wait(timeout=3)
                self.proc = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
        if self._own_fallback is not None:
            self._own_fallback.close()
            self._own_fallback = None

    def __enter__(self) -> DeploymentRedis:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
