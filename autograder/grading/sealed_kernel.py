"""A kernel manager whose kernel runs sealed (bubblewrap), talking over unix sockets.

The kernel gets its own network namespace with only loopback in it, so nbgrader's
usual TCP ports on the host's 127.0.0.1 are out of its reach. Instead the manager uses
ZeroMQ's ``ipc`` transport: the five channels are unix sockets in a fresh folder that
holds the connection file too, and that one folder is bound into the sandbox at the same
path. A unix socket is a file, so it connects across network namespaces; nothing else of
the host's network is reachable (docs/instructors.md, "Sealed grading", weighs the
alternatives and their measured costs).

Interrupts go as a message on the control channel (``interrupt_request``): a signal to
the process group nbgrader knows would reach bubblewrap, not the kernel, which runs in
its own session inside (``--new-session``, so it cannot reach a terminal either).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import List, Unicode, default

from . import seal

SOCKET_BASE = "/tmp" if os.path.isdir("/tmp") else None


class SealedKernelManager(AsyncKernelManager):
    """AsyncKernelManager that starts the kernel inside :func:`seal.command`."""

    extra_readonly = List(
        Unicode(), help="More folders the kernel may read (read-only), e.g. data files."
    ).tag(config=True)

    @default("transport")
    def _transport_default(self):
        return "ipc"

    async def _async_pre_start_kernel(self, **kw):
        # A unix socket's path holds at most 107 bytes, so the folder is a short one in
        # the system's temp folder, not under a (possibly deep) TMPDIR.
        self._runtime = Path(tempfile.mkdtemp(prefix="agk-", dir=SOCKET_BASE))
        self.connection_file = str(self._runtime / "kernel.json")
        self.ip = str(self._runtime / "k")
        cwd = Path(kw.get("cwd") or ".").resolve()
        # Interrupts by message on the control channel (see the module docstring).
        self.kernel_spec.interrupt_mode = "message"
        kw["env"] = seal.environment(kw.get("env") or {})
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        sealed = seal.command(
            cmd,
            writable=[cwd, self._runtime],
            readable=self.extra_readonly,
            cwd=cwd,
            # jupyter_client sets the grader's pid for ipykernel's parent poller, which
            # inside the pid namespace sees pid 1 (the sandbox's init) as its parent and
            # shuts down. 1 means "init, never goes away": no poller, no console notice;
            # --die-with-parent does that job here.
            setenv={"JPY_PARENT_PID": "1"},
        )
        return sealed, kw

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and getattr(self, "_runtime", None):
            shutil.rmtree(self._runtime, ignore_errors=True)

    # AsyncKernelManager binds these names to KernelManager's functions, not to self's.
    cleanup_resources = _async_cleanup_resources
