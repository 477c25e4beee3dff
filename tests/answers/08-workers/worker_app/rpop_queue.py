# expect: survives_crashes=0 poison_job=0 graceful_restart=0
# reason: lost_job
"""A naive queue: LPUSH / RPOP takes the job out of Redis, and HINCRBY charges. Kill the worker between the two and the job is gone."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
QUEUE, DEAD = "jobs:queue", "jobs:dead"


def place_order(order_id, user, amount):
    r.hset(f"order:{order_id}", mapping={"user": user, "amount": amount})
    r.lpush(QUEUE, order_id)
    return order_id


def work_one():
    order_id = r.rpop(QUEUE)
    if order_id is None:
        return None
    order = r.hgetall(f"order:{order_id}")
    try:
        r.incrby(f"balance:{order['user']}", int(order["amount"]))
    except ValueError:
        r.rpush(DEAD, order_id)
    return order_id
