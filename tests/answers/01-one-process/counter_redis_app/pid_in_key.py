# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: state_lost_on_restart
# Redis, but one key per process: a restarted process has a new pid, so a new, empty key.
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
KEY = f"hits:{os.getpid()}"


def hit():
    return r.incr(KEY)


def count():
    return int(r.get(KEY) or 0)
