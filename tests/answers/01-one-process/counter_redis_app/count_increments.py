# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: wrong_response
# Reading must not change the count: INCR in count() counts every look as a visit.
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def hit():
    return r.incr("hits")


def count():
    return r.incr("hits")
