# expect: shop_round_robin=0 shop_random_scaling=0
# reason: users_share_state
"""Redis keys without the user in their names: every user shares one count and one quota."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
DOWNLOAD_LIMIT = 3


def view(user, product):
    r.lrem(f"recent:{user}", 0, product)
    r.lpush(f"recent:{user}", product)
    r.ltrim(f"recent:{user}", 0, 2)
    return r.incr("views")


def recently_viewed(user):
    return r.lrange(f"recent:{user}", 0, -1)


def free_download(user):
    return r.incr("downloads") <= DOWNLOAD_LIMIT
