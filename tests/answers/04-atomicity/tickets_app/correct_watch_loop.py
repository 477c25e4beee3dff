# expect: never_oversells=3 never_loses_reservations=2 tickets_under_load=2
# reason: correct
"""Correct with explicit WATCH/MULTI/EXEC loops that retry on WatchError, cancel too."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
LEFT = "tickets:left"
HELD = "tickets:held"


def open_sales(tickets):
    r.set(LEFT, tickets)


def remaining():
    return int(r.get(LEFT) or 0)


def reservations(user):
    return int(r.hget(HELD, user) or 0)


def reserve(user, qty):
    with r.pipeline() as pipe:
        while True:
            try:
                pipe.watch(LEFT)
                if int(pipe.get(LEFT) or 0) < qty:
                    pipe.unwatch()
                    return False
                pipe.multi()
                pipe.decrby(LEFT, qty)
                pipe.hincrby(HELD, user, qty)
                pipe.execute()
                return True
            except redis.WatchError:
                continue  # somebody changed the stock: read it again


def cancel(user):
    with r.pipeline() as pipe:
        while True:
            try:
                pipe.watch(HELD)
                qty = int(pipe.hget(HELD, user) or 0)
                pipe.multi()
                pipe.hdel(HELD, user)
                pipe.incrby(LEFT, qty)
                pipe.execute()
                return qty
            except redis.WatchError:
                continue
