# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: state_lost_on_restart
# Works on a laptop, whose disk outlives the program; a platform process's disk does not.
from pathlib import Path

COUNTER_FILE = Path("hits.txt")


def count():
    return int(COUNTER_FILE.read_text()) if COUNTER_FILE.exists() else 0


def hit():
    n = count() + 1
    COUNTER_FILE.write_text(str(n))
    return n
