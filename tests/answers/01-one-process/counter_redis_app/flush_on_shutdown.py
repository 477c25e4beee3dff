# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: state_lost_on_restart
# A write-back cache: fast, and saved on a graceful restart. A kill gives no warning,
# and three processes each count on their own between flushes.
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
hits = int(r.get("hits") or 0)  # load once when the process starts


def hit():
    global hits
    hits += 1
    return hits


def count():
    return hits


def on_shutdown():
    r.set("hits", hits)
