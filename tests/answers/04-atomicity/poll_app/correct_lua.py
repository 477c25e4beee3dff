# expect: votes_race=2 votes_under_load=1
# reason: correct
"""Correct, with a Lua script (overkill for a counter, but atomic)."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
POLL = "poll:"

VOTE = r.register_script("return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)")


def vote(poll, option):
    return VOTE(keys=[POLL + poll], args=[option])


def results(poll):
    return {option: int(count) for option, count in r.hgetall(POLL + poll).items()}

