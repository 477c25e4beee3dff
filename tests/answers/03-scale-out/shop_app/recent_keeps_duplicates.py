# expect: shop_round_robin=0 shop_random_scaling=0
# reason: wrong_response
"""LPUSH and LTRIM without LREM: a product viewed twice shows up twice."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
DOWNLOAD_LIMIT = 3


def view(user, product):
    r.lpush(f"recent:{user}", product)
    r.ltrim(f"recent:{user}", 0, 2)
    return r.incr(f"views:{user}")


def recently_viewed(user):
    return r.lrange(f"recent:{user}", 0, -1)


def free_download(user):
    return r.incr(f"downloads:{user}") <= DOWNLOAD_LIMIT
