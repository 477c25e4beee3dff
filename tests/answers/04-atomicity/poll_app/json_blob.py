# expect: votes_race=0 votes_under_load=0
# reason: lost_update
"""The whole poll as one JSON string: GET it, change it, SET it back."""
import json
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def vote(poll, option):
    counts = json.loads(r.get("poll:" + poll) or "{}")
    counts[option] = counts.get(option, 0) + 1
    r.set("poll:" + poll, json.dumps(counts))
    return counts[option]


def results(poll):
    return json.loads(r.get("poll:" + poll) or "{}")
