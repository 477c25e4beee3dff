# expect: never_oversells=0 never_loses_reservations=0 tickets_under_load=0
# reason: oversold
"""A threading.Lock makes check-and-take atomic inside one process only."""
import threading

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

lock = threading.Lock()


def reserve(user, qty):
    with lock:
        left = int(r.get(LEFT) or 0)
        if left < qty:
            return False
        r.set(LEFT, left - qty)
        r.hincrby(HELD, user, qty)
        return True


def cancel(user):
    with lock:
        qty = int(r.hget(HELD, user) or 0)
        r.hdel(HELD, user)
        r.incrby(LEFT, qty)
        return qty
