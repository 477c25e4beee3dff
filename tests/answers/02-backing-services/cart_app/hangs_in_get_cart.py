# expect: cart_survives_restarts=0 carts_kept_apart=0
# reason: timeout
"""get_cart waits for a cart that never arrives."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def add_item(user, item, qty=1):
    return r.hincrby(f"cart:{user}", item, qty)


def remove_item(user, item):
    r.hdel(f"cart:{user}", item)


def get_cart(user):
    while True:
        pass


def clear_cart(user):
    r.delete(f"cart:{user}")
