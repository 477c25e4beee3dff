# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: state_lost_on_restart
# A cached function returns the same dict every time, but only inside one process.
from functools import lru_cache


@lru_cache(maxsize=None)
def _counter():
    return {"hits": 0}


def hit():
    _counter()["hits"] += 1
    return _counter()["hits"]


def count():
    return _counter()["hits"]
