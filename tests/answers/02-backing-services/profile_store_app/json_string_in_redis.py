# expect: profiles_across_processes=3
# reason: correct
"""A different correct design: the profile as a JSON string, the tags in a set."""
import json
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def save_profile(user, name, email):
    r.set(f"profile:{user}", json.dumps({"name": name, "email": email}))


def get_profile(user):
    raw = r.get(f"profile:{user}")
    return json.loads(raw) if raw else {}


def add_tag(user, tag):
    r.sadd(f"tags:{user}", tag)


def tags(user):
    return sorted(r.smembers(f"tags:{user}"))
