# expect: never_oversells=3 never_loses_reservations=2 tickets_under_load=2
# reason: correct
"""Correct with Lua scripts: check-and-take and cancel each run inside Redis in one go."""
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

RESERVE = r.register_script("""
local left = tonumber(redis.call("GET", KEYS[1]) or "0")
local qty = tonumber(ARGV[2])
if left < qty then
    return 0
end
redis.call("DECRBY", KEYS[1], qty)
redis.call("HINCRBY", KEYS[2], ARGV[1], qty)
return 1
""")


def reserve(user, qty):
    return RESERVE(keys=[LEFT, HELD], args=[user, qty]) == 1

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

