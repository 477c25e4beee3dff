"""The app q2 deploys: the notebook's section-3 shop (``%%writefile shop.py``), as text.

q2 grades the learner's Procfile only, so every check deploys this copy, never the
learner's own ``shop.py`` (tests/test_procfile.py proves it is the notebook's, word for
word). It is text rather than a module of this package so that nothing imports it: it
connects to ``REDIS_URL`` at import, as an app should.
"""

SHOP_FILE = "shop.py"
SHOP = '''"""A web type that enqueues orders and a worker type that charges them."""
import os
import time

import redis
from flask import Flask, request

app = Flask(__name__)
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
# Charge once per order, whatever happens: remember the order and add in one step.
charge = r.register_script(
    "if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then "
    "redis.call('HINCRBY', KEYS[2], ARGV[2], ARGV[3]) end"
)


@app.post("/order")
def order():
    r.hset(f"order:{request.form['id']}", mapping=request.form)
    r.lpush("jobs:queue", request.form["id"])
    return "thank you"


def work_one():
    job = r.lmove("jobs:queue", "jobs:processing", "RIGHT", "LEFT")
    if job is None:
        return None
    order = r.hgetall(f"order:{job}")
    time.sleep(0.2)  # the payment provider is slow
    charge(keys=["orders:charged", "balance"], args=[job, order["user"], order["amount"]])
    r.lrem("jobs:processing", 1, job)
    return job
'''
