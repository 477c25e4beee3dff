# expect: never_oversells=0 never_loses_reservations=0 tickets_under_load=0
# reason: state_not_shared
"""The stock counted down in a global: every process sells the whole concert again."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
HELD = "tickets:held"
left = 0


def open_sales(tickets):
    global left
    left = tickets


def reserve(user, qty):
    global left
    if left < qty:
        return False
    left -= qty
    r.hincrby(HELD, user, qty)
    return True


def cancel(user):
    global left
    qty = int(r.hget(HELD, user) or 0)
    r.hdel(HELD, user)
    left += qty
    return qty


def remaining():
    return left


def reservations(user):
    return int(r.hget(HELD, user) or 0)
