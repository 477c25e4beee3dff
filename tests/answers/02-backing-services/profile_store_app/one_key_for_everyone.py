# expect: profiles_across_processes=0
# reason: users_share_state
"""Right types, in Redis, but one hash and one set for all users."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def save_profile(user, name, email):
    r.hset("profile", mapping={"name": name, "email": email})


def get_profile(user):
    return r.hgetall("profile")


def add_tag(user, tag):
    r.sadd("tags", tag)


def tags(user):
    return sorted(r.smembers("tags"))
