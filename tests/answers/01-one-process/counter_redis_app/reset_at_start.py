# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: state_lost_on_restart
# "Initialise the counter" at import: every process start wipes the shared count.
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
r.set("hits", 0)


def hit():
    return r.incr("hits")


def count():
    return int(r.get("hits"))
