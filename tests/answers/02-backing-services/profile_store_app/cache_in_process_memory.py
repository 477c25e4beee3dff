# expect: profiles_across_processes=0
# reason: state_not_shared
"""Redis behind a per-process read cache "for speed": other processes serve stale data."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
_profiles = {}  # user -> profile, filled on first read, updated on our own writes


def save_profile(user, name, email):
    r.hset(f"profile:{user}", mapping={"name": name, "email": email})
    _profiles[user] = {"name": name, "email": email}


def get_profile(user):
    if user not in _profiles:
        _profiles[user] = r.hgetall(f"profile:{user}")
    return dict(_profiles[user])


def add_tag(user, tag):
    r.sadd(f"tags:{user}", tag)


def tags(user):
    return sorted(r.smembers(f"tags:{user}"))
