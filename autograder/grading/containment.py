"""What every grading step that starts learner code runs inside: a private TMPDIR, a
memory ceiling, and afterwards no process the submission started is left alive."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile

from . import reap


@contextlib.contextmanager
def private_tmpdir():
    """TMPDIR (for this process and everything it starts) is a fresh folder, removed after."""
    folder = tempfile.mkdtemp(prefix="autograder-grade-")
    saved = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = None
    try:
        yield folder
    finally:
        if saved is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved
        tempfile.tempdir = None
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def contained():
    """Run a block that starts learner code: private TMPDIR, then kill what it left."""
    reap.become_subreaper()
    before = set(reap.descendants())
    try:
        with private_tmpdir():
            yield
            reap.kill_descendants(keep=before)
    finally:
        reap.kill_descendants(keep=before)


@contextlib.contextmanager
def memory_limit(limit: int):
    """Lower this process's address-space limit while the block runs; children inherit it.

    The kernel is started inside the block, so an answer cell that allocates gigabytes
    gets a MemoryError instead of pushing the grading machine into swap.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    new = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    if not limit or (soft != resource.RLIM_INFINITY and soft <= new):
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (new, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
