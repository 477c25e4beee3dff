# expect: cart_survives_restarts=0 carts_kept_apart=0
# reason: wrong_response
"""add_item always adds one, whatever qty says."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def add_item(user, item, qty=1):
    return r.hincrby(f"cart:{user}", item, 1)


def remove_item(user, item):
    r.hdel(f"cart:{user}", item)


def get_cart(user):
    return {item: int(qty) for item, qty in r.hgetall(f"cart:{user}").items()}


def clear_cart(user):
    r.delete(f"cart:{user}")
