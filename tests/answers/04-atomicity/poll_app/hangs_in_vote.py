# expect: votes_race=0 votes_under_load=0
# reason: timeout
"""vote() never returns."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
POLL = "poll:"


def vote(poll, option):
    while True:
        pass


def results(poll):
    return {option: int(count) for option, count in r.hgetall(POLL + poll).items()}

