# expect: profiles_across_processes=0
# reason: wrong_response
"""Tags in a Redis list: adding a tag twice keeps it twice."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def save_profile(user, name, email):
    r.hset(f"profile:{user}", mapping={"name": name, "email": email})


def get_profile(user):
    return r.hgetall(f"profile:{user}")


def add_tag(user, tag):
    r.rpush(f"tags:{user}", tag)


def tags(user):
    return sorted(r.lrange(f"tags:{user}", 0, -1))
