# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: returned_none
# Counts correctly in Redis, but hit() forgets to return the new total.
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def hit():
    r.incr("hits")


def count():
    return int(r.get("hits") or 0)
