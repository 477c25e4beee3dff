# expect: shop_round_robin=2 shop_random_scaling=3
# reason: correct
# e2e: a correct answer that warns keeps its points (nbgrader scores any stderr as a failure)
"""A correct shop that emits DeprecationWarnings (at import and in a handler)."""
import os
import warnings

import redis

warnings.warn("this shop module is deprecated", DeprecationWarning)
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
DOWNLOAD_LIMIT = 3


def view(user, product):
    warnings.warn("view() is deprecated; use track_view()", DeprecationWarning)
    r.lrem(f"recent:{user}", 0, product)
    r.lpush(f"recent:{user}", product)
    r.ltrim(f"recent:{user}", 0, 2)
    return r.incr(f"views:{user}")


def recently_viewed(user):
    return r.lrange(f"recent:{user}", 0, -1)


def free_download(user):
    return r.incr(f"downloads:{user}") <= DOWNLOAD_LIMIT
