# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: wrong_response
# Without decode_responses=True, redis-py returns bytes (b"3"), not a number.
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"])


def hit():
    return r.incr("hits")


def count():
    return r.get("hits") or 0
