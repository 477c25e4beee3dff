# expect: votes_race=2 votes_under_load=1
# reason: correct
"""Correct, another style: a string counter per option (INCR) and a set of the options."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def vote(poll, option):
    r.sadd(f"options:{poll}", option)
    return r.incr(f"votes:{poll}:{option}")


def results(poll):
    options = sorted(r.smembers(f"options:{poll}"))
    counts = r.mget([f"votes:{poll}:{o}" for o in options]) if options else []
    return {o: int(c or 0) for o, c in zip(options, counts)}
