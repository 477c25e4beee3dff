# expect: votes_race=0 votes_under_load=0
# reason: wrong_response
"""HINCRBY is right, but results() returns the counts as str, straight from HGETALL."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
POLL = "poll:"


def vote(poll, option):
    return r.hincrby(POLL + poll, option, 1)


def results(poll):
    return r.hgetall(POLL + poll)
