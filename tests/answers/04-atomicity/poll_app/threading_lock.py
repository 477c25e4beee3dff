# expect: votes_race=0 votes_under_load=0
# reason: lost_update
"""A threading.Lock around read-modify-write: it only locks out this process's threads."""
import os
import threading

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
POLL = "poll:"
lock = threading.Lock()


def vote(poll, option):
    with lock:
        count = int(r.hget(POLL + poll, option) or 0) + 1
        r.hset(POLL + poll, option, count)
    return count


def results(poll):
    return {option: int(count) for option, count in r.hgetall(POLL + poll).items()}

