# expect: votes_race=0 votes_under_load=0
# reason: lost_update
"""Reads the count, adds one in Python, writes it back: two voters at once count once."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
POLL = "poll:"


def vote(poll, option):
    count = int(r.hget(POLL + poll, option) or 0) + 1
    r.hset(POLL + poll, option, count)
    return count


def results(poll):
    return {option: int(count) for option, count in r.hgetall(POLL + poll).items()}

