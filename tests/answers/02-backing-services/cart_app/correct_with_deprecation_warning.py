# expect: cart_survives_restarts=2 carts_kept_apart=3
# reason: correct
# e2e: a correct answer that warns keeps its points (nbgrader scores any stderr as a failure)
"""A correct cart that emits DeprecationWarnings (at import and in a handler)."""
import os
import warnings

import redis

warnings.warn("this cart module is deprecated", DeprecationWarning)
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def add_item(user, item, qty=1):
    warnings.warn("add_item() is deprecated; use add_items()", DeprecationWarning)
    return r.hincrby(f"cart:{user}", item, qty)


def remove_item(user, item):
    r.hdel(f"cart:{user}", item)


def get_cart(user):
    return {item: int(qty) for item, qty in r.hgetall(f"cart:{user}").items()}


def clear_cart(user):
    r.delete(f"cart:{user}")
