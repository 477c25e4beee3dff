# expect: never_oversells=0 never_loses_reservations=0 tickets_under_load=0
# reason: oversold
"""Atomic, but it never checks the stock: every reservation succeeds."""
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
    r.decrby(LEFT, qty)
    r.hincrby(HELD, user, qty)
    return True

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

