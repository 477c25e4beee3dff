# expect: counter_survives_restarts=2 counter_shared_by_processes=0
# reason: state_not_shared
# Every hit is written to Redis, so one process survives restarts and kills (2 points);
# but each process counts from its own copy, loaded once at start: three processes
# overwrite each other's totals.
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
hits = int(r.get("hits") or 0)


def hit():
    global hits
    hits += 1
    r.set("hits", hits)
    return hits


def count():
    return hits
