# expect: votes_race=0 votes_under_load=0
# reason: lost_update
"""MULTI/EXEC around the write, but the count was read before, without WATCH."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
POLL = "poll:"


def vote(poll, option):
    count = int(r.hget(POLL + poll, option) or 0) + 1
    pipe = r.pipeline(transaction=True)  # MULTI ... EXEC
    pipe.hset(POLL + poll, option, count)
    pipe.execute()
    return count


def results(poll):
    return {option: int(count) for option, count in r.hgetall(POLL + poll).items()}

