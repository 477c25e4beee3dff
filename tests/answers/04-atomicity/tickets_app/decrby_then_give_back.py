# expect: never_oversells=0 never_loses_reservations=2 tickets_under_load=2
# reason: refused_while_overdrawn
"""DECRBY first and give back when it went below zero. It never oversells, but between
the DECRBY and the give-back the stock looks smaller than it is: with 2 left, a reserve(3)
takes the stock to -1, and a reserve(1) arriving then is refused although 2 tickets were
there all along. Once listed as correct; the checks now pause right after the DECRBY."""
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
