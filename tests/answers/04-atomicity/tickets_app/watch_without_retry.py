# expect: never_oversells=0 never_loses_reservations=0 tickets_under_load=0
# reason: gave_up
"""WATCH/MULTI/EXEC, but a WatchError is taken for "sold out": it never oversells, but it
refuses fans while tickets are left."""
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
    with r.pipeline() as pipe:
        try:
            pipe.watch(LEFT)
            if int(pipe.get(LEFT) or 0) < qty:
                return False
            pipe.multi()
            pipe.decrby(LEFT, qty)
            pipe.hincrby(HELD, user, qty)
            pipe.execute()
            return True
        except redis.WatchError:
            return False

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

