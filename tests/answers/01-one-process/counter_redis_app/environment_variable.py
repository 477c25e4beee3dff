# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: state_lost_on_restart
# Config comes from the environment, so why not state? A process's environment is its own.
import os


def count():
    return int(os.environ.get("HIT_COUNT", "0"))


def hit():
    n = count() + 1
    os.environ["HIT_COUNT"] = str(n)
    return n
