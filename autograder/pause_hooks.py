"""Inside an app process: the hooks through which the app's libraries report each step of
a request to the pause point (:meth:`autograder.child.App._after_command`).

redis-py reports every command it sent (with its key), a pipeline counted as one;
urllib3 reports a download half read and read. A request that may pause stops right
after the step it was told to (``pause_after``), so a race or a cut shows every time.
Installed in the app process only, after it became a process of the platform.
"""

from __future__ import annotations

import functools

from .pause import OTHER, pipeline_command


def install_redis_hook(after) -> None:
    """redis-py's commands end in ``after(name, "NAME key", kind)``: the pause after the
    k-th reply (see :func:`autograder.pause.reached`). A pipeline counts as one command
    (:func:`autograder.pause.pipeline_command`)."""
    from redis.client import Pipeline, Redis

    def one(original):
        @functools.wraps(original)
        def command(self, *args, **kwargs):
            try:
                return original(self, *args, **kwargs)
            finally:
                name = str(args[0]).upper()
                after(name, f"{name} {args[1]}" if len(args) > 1 else name)

        return command

    def pipeline(original):
        @functools.wraps(original)
        def execute(self, *args, **kwargs):
            stack = [str(c[0][0]).upper() for c in self.command_stack]
            transaction = bool(self.transaction or self.explicit_transaction)
            try:
                return original(self, *args, **kwargs)
            finally:
                counted = pipeline_command(stack, transaction)
                if counted is not None:
                    after(*counted)

        return execute

    Redis.execute_command = one(Redis.execute_command)
    Pipeline.immediate_execute_command = one(Pipeline.immediate_execute_command)
    Pipeline.execute = pipeline(Pipeline.execute)


def install_download_hook(after, active) -> None:
    """urllib3's ``HTTPResponse.read`` (under requests: ``iter_content``, ``.content``,
    ``.raw.read``) reports two events per response to the pause hook, while a request
    that may pause runs: ``DOWNLOADING`` once half of the body has been read,
    ``DOWNLOADED`` once all of it has. ``pause_after="DOWNLOADING"`` then stops the
    request with half a file read (notebook 06). Installed after the app's import, only
    in an app that imported urllib3: the others never pay for it."""
    from urllib3.response import HTTPResponse

    original = HTTPResponse.read

    def read(self, *args, **kwargs):
        data = original(self, *args, **kwargs)
        if not active():
            return data
        total = int(self.headers.get("Content-Length") or 0)
        done = getattr(self, "_fp_bytes_read", 0)
        seen = self.__dict__.setdefault("_autograder_events", set())
        if total and done * 2 >= total and "DOWNLOADING" not in seen and done < total:
            seen.add("DOWNLOADING")
            after("DOWNLOADING", kind=OTHER)
        if total and done >= total and "DOWNLOADED" not in seen:
            seen.add("DOWNLOADED")
            after("DOWNLOADED", kind=OTHER)
        return data

    read.__wrapped__ = original
    HTTPResponse.read = read
