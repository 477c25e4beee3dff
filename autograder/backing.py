"""The backing service: a Redis that outlives every process the platform runs.

By default it is fakeredis served over real TCP on 127.0.0.1 (a free port), so a learner's
app talks to it exactly as it would to a production Redis: through redis-py and the URL in
``REDIS_URL``. When ``REDIS_URL`` is already set in the environment, the platform attaches
to that server instead (CI runs the checks against a real ``redis-server`` this way).
"""

from __future__ import annotations

import atexit
import os
import threading

import redis

EMBEDDED = "embedded fakeredis"
ATTACHED = "attached Redis"


class RedisService:
    """A Redis for one platform: embedded (fakeredis over TCP) or attached (``REDIS_URL``).

    Use it as a context manager, or call :meth:`close`; closing an embedded service stops
    its server process (it runs in a process of its own, as Redis does in production).
    """

    def __init__(self, url: str | None = None):
        url = url if url is not None else os.environ.get("REDIS_URL")
        self._server = None  # the embedded server's process (a launcher.Started)
        if url:
            self.kind = ATTACHED
            self.url = url
        else:
            self.kind = EMBEDDED
            self.url = self._start_embedded()
        self._admin = redis.Redis.from_url(self.url, decode_responses=True)

    def _start_embedded(self) -> str:
        from multiprocessing.connection import Connection

        from .launcher import start

        self._server = start("redis")
        try:
            conn = Connection(self._server.sock.detach())
            if not conn.poll(30):
                raise OSError("the embedded Redis did not start")
            port = conn.recv()  # our own server's first message: its port
        except BaseException:
            self._server.kill()
            raise
        self._conn = conn
        return f"redis://127.0.0.1:{port}/0"

    @property
    def server_pid(self) -> int | None:
        """The OS pid of the embedded server's process (None when attached)."""
        return self._server.pid if self._server is not None else None

    # The admin client is the platform's own view of the data, never the learner's.
    @property
    def admin(self) -> redis.Redis:
        return self._admin

    def client(self, **kwargs) -> redis.Redis:
        """A new redis-py client for this service (what a learner's app would create)."""
        return redis.Redis.from_url(self.url, **kwargs)

    def flush(self) -> None:
        """Empty the database (between check runs; attached servers use the URL's database)."""
        self._admin.flushdb()

    def snapshot(self, limit: int = 200) -> list[dict]:
        """Keys with their type, TTL and value, for feedback and the dashboard."""
        rows = []
        for key in sorted(self._admin.scan_iter(count=500))[:limit]:
            kind = self._admin.type(key)
            ttl = self._admin.ttl(key)
            rows.append(
                {"key": key, "type": kind, "ttl": ttl, "value": _read(self._admin, key, kind)}
            )
        return rows

    def close(self) -> None:
        try:
            self._admin.close()
        finally:
            if self._server is not None:
                self._conn.close()
                self._server.kill()
                self._server = None

    def __enter__(self) -> RedisService:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<RedisService {self.kind} at {self.url}>"


def _read(client: redis.Redis, key: str, kind: str):
    readers = {
        "string": client.get,
        "hash": client.hgetall,
        "list": lambda k: client.lrange(k, 0, -1),
        "set": lambda k: sorted(client.smembers(k)),
        "zset": lambda k: client.zrange(k, 0, -1, withscores=True),
    }
    reader = readers.get(kind)
    return reader(key) if reader else f"<{kind}>"


_shared: RedisService | None = None
_shared_lock = threading.Lock()


def shared_service() -> RedisService:
    """The notebook's Redis: started on first use, closed when the kernel exits.

    It also sets ``REDIS_URL`` in the notebook's own environment, so redis-py code typed
    into a cell reaches the same data the platform's processes see.
    """
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = RedisService()
            os.environ["REDIS_URL"] = _shared.url
            # Marked as ours, so checks know not to treat it as a Redis given from outside.
            if _shared.kind == EMBEDDED:
                os.environ["AUTOGRADER_EMBEDDED_URL"] = _shared.url
            atexit.register(_close_shared)
        return _shared


def _close_shared() -> None:
    global _shared
    if _shared is not None:
        if _shared.kind == EMBEDDED:
            # REDIS_URL pointed at the server that is stopping now: take it back, so
            # nothing later (a child process, a new service) tries to reach a dead port.
            for name in ("REDIS_URL", "AUTOGRADER_EMBEDDED_URL"):
                if os.environ.get(name) == _shared.url:
                    del os.environ[name]
        _shared.close()
        _shared = None
