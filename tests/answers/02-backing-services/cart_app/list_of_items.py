# expect: cart_survives_restarts=0 carts_kept_apart=0
# reason: wrong_response
"""A list per user with one entry per item added: qty and removal get lost."""
import os
from collections import Counter

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def add_item(user, item, qty=1):
    r.rpush(f"cart:{user}", item)
    return r.lrange(f"cart:{user}", 0, -1).count(item)


def remove_item(user, item):
    r.lrem(f"cart:{user}", 0, item)


def get_cart(user):
    return dict(Counter(r.lrange(f"cart:{user}", 0, -1)))


def clear_cart(user):
    r.delete(f"cart:{user}")
