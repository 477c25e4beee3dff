# expect: shop_round_robin=0 shop_random_scaling=0
# reason: state_not_shared
"""All in Redis, plus a per-process copy of each list: correct on one process only.

A view refreshes the copy in the process that served it; the others keep showing theirs.
"""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
DOWNLOAD_LIMIT = 3
_recent = {}  # user -> list, "so that reading the list costs no round trip"


def view(user, product):
    r.lrem(f"recent:{user}", 0, product)
    r.lpush(f"recent:{user}", product)
    r.ltrim(f"recent:{user}", 0, 2)
    _recent[user] = r.lrange(f"recent:{user}", 0, -1)
    return r.incr(f"views:{user}")


def recently_viewed(user):
    if user not in _recent:
        _recent[user] = r.lrange(f"recent:{user}", 0, -1)
    return list(_recent[user])


def free_download(user):
    return r.incr(f"downloads:{user}") <= DOWNLOAD_LIMIT
