# expect: votes_race=0 votes_under_load=0
# reason: lost_update
"""WATCH, read, MULTI/EXEC; but when EXEC fails the vote is simply dropped."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
POLL = "poll:"


def vote(poll, option):
    key = POLL + poll
    with r.pipeline() as pipe:
        pipe.watch(key)
        count = int(pipe.hget(key, option) or 0) + 1
        pipe.multi()
        pipe.hset(key, option, count)
        try:
            pipe.execute()
        except redis.WatchError:
            pass  # somebody else voted at the same moment: ours is lost
    return count


def results(poll):
    return {option: int(count) for option, count in r.hgetall(POLL + poll).items()}

