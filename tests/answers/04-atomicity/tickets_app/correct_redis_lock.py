# expect: never_oversells=3 never_loses_reservations=2 tickets_under_load=2
# reason: correct
"""Correct with a lock that lives in Redis (SET NX with an expiry), shared by all processes."""
import time
import uuid

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

LOCK = "tickets:lock"


def locked(work):
    token = uuid.uuid4().hex
    while not r.set(LOCK, token, nx=True, px=2000):
        time.sleep(0.002)
    try:
        return work()
    finally:
        if r.get(LOCK) == token:
            r.delete(LOCK)


def reserve(user, qty):
    def take():
        left = int(r.get(LEFT) or 0)
        if left < qty:
            return False
        r.set(LEFT, left - qty)
        r.hincrby(HELD, user, qty)
        return True

    return locked(take)


def cancel(user):
    def give_back():
        qty = int(r.hget(HELD, user) or 0)
        r.hdel(HELD, user)
        r.incrby(LEFT, qty)
        return qty

    return locked(give_back)
