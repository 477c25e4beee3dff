"""Sealed grading: every process that runs a submission's code runs inside bubblewrap.

nbgrader trusts the kernel; we do not. A notebook cell runs with the grading user's
rights, so without a sandbox it can write the gradebook, read ``source/`` (reference
answers, hidden tests) and classmates' folders, or leave a ``.pth`` hook in
site-packages that forges every later check. Blocking those tricks one by one never
ends; this module builds the *view of the machine* the learner's code gets instead, a
whitelist (bubblewrap, ``bwrap``, the sandbox Flatpak uses):

- read-only: the system's programs and libraries (``/usr``), the Python installation
  and the environment the grader runs from (``sys.base_prefix``, ``sys.prefix``), the
  ``autograder`` package (only its own folder: never the checkout around it, which
  holds ``solutions/`` and ``course/source/``), and a handful of files from ``/etc``;
- writable: the folders the caller names (the submission's own folder), plus a private
  ``/tmp`` and home that vanish with the sandbox;
- nothing else exists: no gradebook, no ``source/``, no ``release/``, no other student,
  no instructor home, no exchange;
- its own pid namespace (``--unshare-pid``, ``--die-with-parent``, ``--new-session``):
  everything the code starts dies with it, and it cannot signal or inspect the grader;
- its own network namespace with only loopback (``--unshare-net``): the checks start
  their own Redis on 127.0.0.1, and nothing outside the sandbox is reachable;
- a small, explicit environment (no tokens or paths of the grading user leak in).

Used by :class:`SealedKernelManager` (the notebook's kernel, talking to nbgrader over
unix sockets in a bound folder, see docs/instructors.md) and by the grader's own
re-runs of checks (``VerifyChecks``).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BWRAP = "bwrap"
# Files a Python process reads from /etc: host names, time zone, libraries. passwd and
# group are written fresh (:func:`_accounts`): on a hub they list every learner.
ETC_FILES = (
    "nsswitch.conf",
    "hosts",
    "host.conf",
    "localtime",
    "timezone",
    "ld.so.cache",
    "ld.so.conf",
    "mime.types",
)
# Environment variables that pass into the sandbox (everything else is dropped: the
# grading user's tokens, SSH agent, REDIS_URL of a shared server, JPY_PARENT_PID whose
# pid means nothing in a new pid namespace, ...).
ENV_KEEP = ("PATH", "LANG", "LANGUAGE", "TZ", "TERM", "PYTHONPATH", "PYTHONHASHSEED")
ENV_KEEP_PREFIXES = ("LC_", "COURSE_", "NBGRADER_", "PYDEVD_")
SANDBOX_HOME = "/tmp/home"

HOW_TO_FIX = (
    "Autograding runs every submission inside bubblewrap (docs/instructors.md, "
    '"Sealed grading"), and it cannot run here: {reason}\n'
    "Fix: install it (Debian/Ubuntu: apt-get install bubblewrap) on a Linux grading "
    "machine that allows user namespaces (sysctl kernel.unprivileged_userns_clone=1; in "
    "a container, allow unshare: e.g. docker run --security-opt seccomp=unconfined "
    "--security-opt apparmor=unconfined, or run the grader pod privileged). "
    "Only if you accept that submissions can then forge grades and read solutions: "
    "--GuardedExecute.sandbox=none (logged loudly)."
)


class SealUnavailable(RuntimeError):
    """bubblewrap cannot run on this machine; the message says how to fix it."""


@functools.lru_cache(maxsize=1)
def unavailable_reason() -> str | None:
    """None when a sealed process can start here, else why not (tried once per process)."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap needs Linux, and this is {sys.platform}."
    if shutil.which(BWRAP) is None:
        return "the `bwrap` program is not installed."
    with tempfile.TemporaryDirectory(prefix="autograder-seal-probe-") as folder:
        try:
            run = subprocess.run(
                command([sys.executable, "-c", "print('sealed')"], writable=[Path(folder)]),
                capture_output=True,
                text=True,
                timeout=60,
                env=environment(os.environ),
                cwd=folder,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"`bwrap` did not start: {exc}"
    if run.returncode != 0 or run.stdout.strip() != "sealed":
        return f"`bwrap` failed (exit {run.returncode}): {run.stderr.strip()[-400:]}"
    return None


def require() -> None:
    """Raise SealUnavailable, with how to fix it, unless sealed processes can run."""
    reason = unavailable_reason()
    if reason is not None:
        raise SealUnavailable(HOW_TO_FIX.format(reason=reason))


def code_paths() -> list[Path]:
    """What the learner's code may read: Python, its packages and the course package."""
    import autograder

    paths = [Path(sys.base_prefix), Path(sys.prefix), Path(autograder.__file__).parent]
    return _outermost(p.resolve() for p in paths if p.exists())


def environment(env) -> dict[str, str]:
    """The sandbox's environment: the whitelisted variables, a private home and temp."""
    kept = {k: v for k, v in env.items() if k in ENV_KEEP or k.startswith(ENV_KEEP_PREFIXES)}
    kept.update(
        HOME=SANDBOX_HOME,
        TMPDIR="/tmp",
        IPYTHONDIR=f"{SANDBOX_HOME}/.ipython",
        JUPYTER_CONFIG_DIR=f"{SANDBOX_HOME}/.jupyter",
        JUPYTER_DATA_DIR=f"{SANDBOX_HOME}/.local/share/jupyter",
        JUPYTER_RUNTIME_DIR=f"{SANDBOX_HOME}/.local/share/jupyter/runtime",
        MPLCONFIGDIR=f"{SANDBOX_HOME}/.config/matplotlib",
    )
    kept.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    kept.setdefault("LANG", "C.UTF-8")
    return kept


def command(
    argv: list[str],
    *,
    writable: list[Path] = (),
    readable: list[Path] = (),
    cwd: Path | None = None,
    setenv: dict[str, str] | None = None,
) -> list[str]:
    """``bwrap ... -- argv``: argv sealed, seeing only code, ``readable`` and ``writable``.

    Paths keep their names inside (the kernel's connection file and the submission's
    folder are where nbgrader expects them). The caller passes the environment through
    :func:`environment`; bwrap hands the child exactly that, with ``setenv`` on top
    (variables a launcher adds after the caller's filter).
    """
    args = [BWRAP, "--unshare-all", "--die-with-parent", "--new-session"]
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", SANDBOX_HOME]
    args += _system_dirs()
    for name in ETC_FILES:
        if os.path.exists(f"/etc/{name}"):
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    for name, path in _accounts().items():
        args += ["--ro-bind", str(path), f"/etc/{name}"]
    for path in code_paths() + _outermost(Path(p).resolve() for p in readable):
        args += ["--ro-bind", str(path), str(path)]
    for path in _outermost(Path(p).resolve() for p in writable):
        args += ["--bind", str(path), str(path)]
    for name, value in (setenv or {}).items():
        args += ["--setenv", name, value]
    if cwd is not None:
        args += ["--chdir", str(Path(cwd).resolve())]
    return [*args, "--", *argv]


@functools.lru_cache(maxsize=1)
def _accounts() -> dict[str, Path]:
    """/etc/passwd and /etc/group for the sandbox: root, the grading user, nobody.

    The host's files would name every user of the machine (on The Littlest JupyterHub
    every learner is a Unix user), and a notebook could print them into its feedback.
    Written once per grading process, removed when it exits.
    """
    import atexit
    import pwd

    uid, gid = os.getuid(), os.getgid()
    name = pwd.getpwuid(uid).pw_name if uid else "root"
    users = {0: "root", uid: name, 65534: "nobody"}
    groups = {0: "root", gid: name, 65534: "nogroup"}
    folder = Path(tempfile.mkdtemp(prefix="autograder-etc-"))
    atexit.register(shutil.rmtree, folder, True)
    passwd = "".join(
        f"{user}:x:{u}:{u if u in groups else 65534}::{SANDBOX_HOME}:/bin/sh\n"
        for u, user in users.items()
    )
    group = "".join(f"{g_name}:x:{g}:\n" for g, g_name in groups.items())
    (folder / "passwd").write_text(passwd)
    (folder / "group").write_text(group)
    return {"passwd": folder / "passwd", "group": folder / "group"}


def _system_dirs() -> list[str]:
    """/usr read-only, and /bin, /lib, ... as they are on the host (links or folders)."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    return args


def _outermost(paths) -> list[Path]:
    """Drop paths that lie inside another one of the list (bound once, at the top)."""
    unique = sorted(set(paths), key=lambda p: len(p.parts))
    kept: list[Path] = []
    for path in unique:
        if not any(path == k or k in path.parents for k in kept):
            kept.append(path)
    return kept
