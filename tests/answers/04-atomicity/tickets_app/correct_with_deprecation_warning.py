# expect: never_oversells=3 never_loses_reservations=2 tickets_under_load=2
# reason: correct
"""A correct shop that emits DeprecationWarnings (at import and in a handler)."""
import warnings

warnings.warn("this ticket module is old", DeprecationWarning)
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
    warnings.warn("reserve() is deprecated", DeprecationWarning)

    def attempt(pipe):
        if int(pipe.get(LEFT) or 0) < qty:
            return False
        pipe.multi()
        pipe.decrby(LEFT, qty)
        pipe.hincrby(HELD, user, qty)
        return True

    return r.transaction(attempt, LEFT, value_from_callable=True)

CANCEL = r.register_script("""
local qty = tonumber(redis.call("HGET", KEYS[2], ARGV[1]) or "0")
if qty > 0 then
    redis.call("HDEL", KEYS[2], ARGV[1])
    redis.call("INCRBY", KEYS[1], qty)
end
return qty
""")


def cancel(user):
    return CANCEL(keys=[LEFT, HELD], args=[user])

