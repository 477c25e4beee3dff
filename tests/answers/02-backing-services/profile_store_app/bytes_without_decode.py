# expect: profiles_across_processes=0
# reason: wrong_response
"""Forgot decode_responses=True: every value comes back as bytes."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"])


def save_profile(user, name, email):
    r.hset(f"profile:{user}", mapping={"name": name, "email": email})


def get_profile(user):
    return r.hgetall(f"profile:{user}")


def add_tag(user, tag):
    r.sadd(f"tags:{user}", tag)


def tags(user):
    return sorted(r.smembers(f"tags:{user}"))
