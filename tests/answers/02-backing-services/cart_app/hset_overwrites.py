# expect: cart_survives_restarts=0 carts_kept_apart=0
# reason: wrong_response
"""HSET instead of HINCRBY: adding an item again replaces its quantity."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def add_item(user, item, qty=1):
    r.hset(f"cart:{user}", item, qty)
    return int(r.hget(f"cart:{user}", item))


def remove_item(user, item):
    r.hdel(f"cart:{user}", item)


def get_cart(user):
    return {item: int(qty) for item, qty in r.hgetall(f"cart:{user}").items()}


def clear_cart(user):
    r.delete(f"cart:{user}")
