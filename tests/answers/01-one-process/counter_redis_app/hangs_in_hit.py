# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: timeout
# An endless loop (a retry loop that never gives up, say) in a handler.
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def hit():
    while True:
        pass


def count():
    return int(r.get("hits") or 0)
