"""What a grading run may leave behind, read from /proc (psutil is not a dependency)."""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def processes() -> dict[int, dict]:
    """Every visible process: cmdline, cwd, environ (when readable)."""
    out = {}
    for entry in os.listdir(PROC):
        if not entry.isdigit():
            continue
        base = PROC / entry
        try:
            cwd = os.readlink(base / "cwd")
        except OSError:
            cwd = ""
        stat = _read(base / "stat").decode(errors="replace")
        state = stat.rsplit(")", 1)[1].split()[0] if ")" in stat else "?"
        out[int(entry)] = {
            "cmdline": _read(base / "cmdline").replace(b"\0", b" ").decode(errors="replace"),
            "cwd": cwd,
            "environ": _read(base / "environ").split(b"\0"),
            "state": state,
        }
    return out


def ours(marker: str, roots: list[Path]) -> dict[int, str]:
    """Processes a grading run started: the marker on the command line, a cwd under one of
    roots, or TMPDIR under one of roots. ``{pid: cmdline}``."""
    found = {}
    prefixes = [str(r) for r in roots]
    me = os.getpid()
    for pid, info in processes().items():
        if pid == me or info["state"] == "Z":
            continue
        tmpdir = next(
            (e[7:].decode(errors="replace") for e in info["environ"] if e.startswith(b"TMPDIR=")),
            "",
        )
        if (
            marker in info["cmdline"]
            or any(info["cwd"].startswith(p) for p in prefixes)
            or any(tmpdir.startswith(p) for p in prefixes)
        ):
            found[pid] = info["cmdline"][:200]
    return found


def listening_sockets() -> dict[int, str]:
    """``{socket inode: local address}`` of every TCP socket in LISTEN state."""
    found = {}
    for name in ("tcp", "tcp6"):
        for line in _read(PROC / "net" / name).decode().splitlines()[1:]:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A":
                found[int(fields[9])] = fields[1]
    return found


def socket_owners(inodes) -> dict[int, list[int]]:
    """``{inode: [pids holding it]}`` for the given socket inodes."""
    wanted = {f"socket:[{i}]": i for i in inodes}
    owners: dict[int, list[int]] = {}
    for entry in os.listdir(PROC):
        if not entry.isdigit():
            continue
        try:
            fds = os.listdir(PROC / entry / "fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(PROC / entry / "fd" / fd)
            except OSError:
                continue
            if target in wanted:
                owners.setdefault(wanted[target], []).append(int(entry))
    return owners
