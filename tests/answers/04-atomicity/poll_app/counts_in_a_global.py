# expect: votes_race=0 votes_under_load=0
# reason: state_not_shared
"""Counts in a module-level dict, copied to Redis: every process counts its own votes."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
POLL = "poll:"

counts = {}


def vote(poll, option):
    mine = counts.setdefault(poll, {})
    mine[option] = mine.get(option, 0) + 1
    r.hset(POLL + poll, option, mine[option])
    return mine[option]


def results(poll):
    return {option: int(count) for option, count in r.hgetall(POLL + poll).items()}

