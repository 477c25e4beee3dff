# expect: never_oversells=0 never_loses_reservations=0 tickets_under_load=0
# reason: oversold
"""DECRBY and HINCRBY are atomic, but the stock check before them rests on a stale GET."""
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
    if int(r.get(LEFT) or 0) < qty:
        return False
    r.decrby(LEFT, qty)
    r.hincrby(HELD, user, qty)
    return True


def cancel(user):
    qty = int(r.hget(HELD, user) or 0)
    r.hdel(HELD, user)
    r.incrby(LEFT, qty)
    return qty

