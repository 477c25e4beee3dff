# expect: cart_survives_restarts=2 carts_kept_apart=0
# reason: wrong_response
"""remove_item sets the quantity to 0 instead of deleting the field."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def add_item(user, item, qty=1):
    return r.hincrby(f"cart:{user}", item, qty)


def remove_item(user, item):
    r.hset(f"cart:{user}", item, 0)


def get_cart(user):
    return {item: int(qty) for item, qty in r.hgetall(f"cart:{user}").items()}


def clear_cart(user):
    r.delete(f"cart:{user}")
