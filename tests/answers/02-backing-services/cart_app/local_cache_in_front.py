# expect: cart_survives_restarts=0 carts_kept_apart=0
# reason: state_not_shared
"""Writes go to Redis, but reads come from a per-process cache: other processes go stale."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
_cache = {}  # user -> cart, "to save a round trip"


def add_item(user, item, qty=1):
    _cache.pop(user, None)
    return r.hincrby(f"cart:{user}", item, qty)


def remove_item(user, item):
    _cache.pop(user, None)
    r.hdel(f"cart:{user}", item)


def get_cart(user):
    if user not in _cache:
        _cache[user] = {item: int(q) for item, q in r.hgetall(f"cart:{user}").items()}
    return dict(_cache[user])


def clear_cart(user):
    _cache.pop(user, None)
    r.delete(f"cart:{user}")
