# expect: shop_round_robin=0 shop_random_scaling=0
# reason: timeout
"""recently_viewed waits for a list that never arrives."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
DOWNLOAD_LIMIT = 3


def view(user, product):
    r.lrem(f"recent:{user}", 0, product)
    r.lpush(f"recent:{user}", product)
    r.ltrim(f"recent:{user}", 0, 2)
    return r.incr(f"views:{user}")


def recently_viewed(user):
    while True:
        pass


def free_download(user):
    return r.incr(f"downloads:{user}") <= DOWNLOAD_LIMIT
