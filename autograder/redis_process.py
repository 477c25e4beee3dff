"""The embedded Redis in a process of its own: fakeredis served over TCP on 127.0.0.1.

Like Redis in production it outlives every app process, and like a real server it is not
a thread in the platform's own interpreter (the parent keeps no threads of ours, and a
hung client connection can never hold up the judge). It is started by the fork server;
its first message to the parent is its port, and it serves until it is killed.
"""

from __future__ import annotations

import os
import sys
import threading
from multiprocessing.connection import Connection


def main(fd: int) -> None:
    from fakeredis import TcpFakeServer

    from .child import _die_with_parent

    _die_with_parent()
    conn = Connection(fd)
    server = TcpFakeServer(("127.0.0.1", 0), server_type="redis")
    # One handler thread per client connection; an idle connection of a killed app
    # process must never block the server.
    server.daemon_threads = True
    server.block_on_close = False
    conn.send(server.server_address[1])
    threading.Thread(target=_exit_when_orphaned, args=(conn,), daemon=True).start()
    server.serve_forever(poll_interval=0.5)


def _exit_when_orphaned(conn: Connection) -> None:
    """The parent closing its end (or dying) ends the server: nothing is left behind."""
    try:
        conn.recv_bytes()
    except (EOFError, OSError):
        pass
    os._exit(0)


if __name__ == "__main__":  # the spawn start method
    os.setpgrp()
    main(int(sys.argv[1]))
