# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: write_outside_disk
# "/tmp is shared by everything on the machine, so it must survive": not on a platform.
import os

COUNTER_FILE = "/tmp/counter_redis_hits.txt"


def count():
    if not os.path.exists(COUNTER_FILE):
        return 0
    with open(COUNTER_FILE) as f:
        return int(f.read())


def hit():
    n = count() + 1
    with open(COUNTER_FILE, "w") as f:
        f.write(str(n))
    return n
