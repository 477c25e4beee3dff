# expect: profiles_across_processes=0
# reason: returned_none
"""Returns None for a user with no profile, where the exercise asks for {}."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def save_profile(user, name, email):
    r.hset(f"profile:{user}", mapping={"name": name, "email": email})


def get_profile(user):
    if not r.exists(f"profile:{user}"):
        return None
    return r.hgetall(f"profile:{user}")


def add_tag(user, tag):
    r.sadd(f"tags:{user}", tag)


def tags(user):
    return sorted(r.smembers(f"tags:{user}"))
