# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: wrong_response
# GET gives back text ("3"), not a number: count() must convert it.
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def hit():
    return r.incr("hits")


def count():
    return r.get("hits") or 0
