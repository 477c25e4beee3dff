# expect: cart_survives_restarts=2 carts_kept_apart=0
# reason: users_share_state
"""In Redis and correct for one user, but every user shares the key "cart"."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def add_item(user, item, qty=1):
    return r.hincrby("cart", item, qty)


def remove_item(user, item):
    r.hdel("cart", item)


def get_cart(user):
    return {item: int(qty) for item, qty in r.hgetall("cart").items()}


def clear_cart(user):
    r.delete("cart")
