# expect: profiles_across_processes=0
# reason: state_lost_on_restart
"""Profiles in Redis, but the tags in a set that lives in the process."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
user_tags = {}


def save_profile(user, name, email):
    r.hset(f"profile:{user}", mapping={"name": name, "email": email})


def get_profile(user):
    return r.hgetall(f"profile:{user}")


def add_tag(user, tag):
    user_tags.setdefault(user, set()).add(tag)


def tags(user):
    return sorted(user_tags.get(user, set()))
