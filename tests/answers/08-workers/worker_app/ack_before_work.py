# expect: survives_crashes=0 poison_job=0 graceful_restart=0
# reason: acked_before_work
"""The job is acknowledged (removed from the processing list) before the charge: a crash in between loses it."""
import os
import time

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
QUEUE, PROCESSING, DEAD = "jobs:queue", "jobs:processing", "jobs:dead"
TAKEN, TRIES = "jobs:taken", "jobs:tries"
CHARGED = "orders:charged"  # the ids of the orders whose charge is in the balance
VISIBILITY_TIMEOUT = float(os.environ.get("VISIBILITY_TIMEOUT", "30"))
MAX_TRIES = int(os.environ.get("MAX_TRIES", "3"))
current = None  # the job this process works on right now; never kept between jobs

# Hand a job back once, even when two workers find it abandoned at the same moment.
HAND_BACK = r.register_script("""
if redis.call("LREM", KEYS[1], 1, ARGV[1]) == 1 then
    redis.call("RPUSH", KEYS[2], ARGV[1])
    redis.call("HDEL", KEYS[3], ARGV[1])
end
""")


# The charge, once per order however often its job runs: remember the order as charged
# and add to the balance in one step (a crash between the two would lose or repeat it).
CHARGE = r.register_script("""
if redis.call("SADD", KEYS[1], ARGV[1]) == 1 then
    redis.call("INCRBY", KEYS[2], ARGV[2])
end
""")


def place_order(order_id, user, amount):
    r.hset(f"order:{order_id}", mapping={"user": user, "amount": amount})
    r.lpush(QUEUE, order_id)
    return order_id


def hand_back(order_id):
    HAND_BACK(keys=[PROCESSING, QUEUE, TAKEN], args=[order_id])


def take_over_abandoned():
    now = time.time()
    for order_id in r.lrange(PROCESSING, 0, -1):
        # A worker that died right after LMOVE never noted the time: start its clock now.
        r.hsetnx(TAKEN, order_id, now)
        if now - float(r.hget(TAKEN, order_id)) > VISIBILITY_TIMEOUT:
            hand_back(order_id)


def finish(order_id, into=None):
    """Acknowledge a job: out of the processing list (into the dead letters, if given)."""
    with r.pipeline() as pipe:
        pipe.lrem(PROCESSING, 1, order_id)
        if into:
            pipe.rpush(into, order_id)
        pipe.hdel(TAKEN, order_id)
        pipe.hdel(TRIES, order_id)
        pipe.execute()


def work_one():
    global current
    take_over_abandoned()
    order_id = r.lmove(QUEUE, PROCESSING, "RIGHT", "LEFT")
    if order_id is None:
        return None
    current = order_id
    r.hset(TAKEN, order_id, time.time())
    tries = r.hincrby(TRIES, order_id, 1)
    finish(order_id)  # acknowledged before the work: a crash now loses it
    try:
        order = r.hgetall(f"order:{order_id}")
        amount = int(order["amount"])  # a poison job fails here
        CHARGE(keys=[CHARGED, f"balance:{order['user']}"], args=[order_id, amount])
    except (KeyError, ValueError):
        if tries >= MAX_TRIES:
            finish(order_id, into=DEAD)
        else:
            hand_back(order_id)
        current = None
        return order_id
    current = None
    return order_id


def on_shutdown():
    if current is not None:
        hand_back(current)
