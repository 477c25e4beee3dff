# expect: never_oversells=0 never_loses_reservations=0 tickets_under_load=0
# reason: lost_update
"""reserve() is a correct transaction, but cancel() reads, deletes and gives back in three
steps: two cancels at once give the same tickets back twice."""
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
    def attempt(pipe):
        if int(pipe.get(LEFT) or 0) < qty:
            return False
        pipe.multi()
        pipe.decrby(LEFT, qty)
        pipe.hincrby(HELD, user, qty)
        return True

    return r.transaction(attempt, LEFT, value_from_callable=True)


def cancel(user):
    qty = int(r.hget(HELD, user) or 0)
    r.hdel(HELD, user)
    r.incrby(LEFT, qty)
    return qty

