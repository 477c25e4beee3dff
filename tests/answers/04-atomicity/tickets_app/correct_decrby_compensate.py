# expect: never_oversells=3 never_loses_reservations=2 tickets_under_load=2
# reason: correct
"""Correct with atomic commands only: DECRBY first and give back when it went below zero;
each user's tickets in their own key, taken back with GETDEL."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
LEFT = "tickets:left"


def open_sales(tickets):
    r.set(LEFT, tickets)


def reserve(user, qty):
    if r.decrby(LEFT, qty) < 0:
        r.incrby(LEFT, qty)  # not enough: put them back
        return False
    r.incrby(f"tickets:held:{user}", qty)
    return True


def cancel(user):
    qty = int(r.getdel(f"tickets:held:{user}") or 0)
    if qty:
        r.incrby(LEFT, qty)
    return qty


def remaining():
    return max(int(r.get(LEFT) or 0), 0)


def reservations(user):
    return int(r.get(f"tickets:held:{user}") or 0)
