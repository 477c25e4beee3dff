# expect: survives_crashes=0 several_workers=0 poison_job=0 graceful_restart=0
# reason: work_inline
"""The web handler charges at once (guarded, so a retried request charges once) and the worker has nothing left to do: the work is still done inline."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
CHARGE = r.register_script("""
if redis.call("SADD", KEYS[1], ARGV[1]) == 1 then
    redis.call("INCRBY", KEYS[2], ARGV[2])
end
""")


def place_order(order_id, user, amount):
    CHARGE(keys=["orders:charged", f"balance:{user}"], args=[order_id, int(amount)])
    return order_id


def work_one():
    return None
