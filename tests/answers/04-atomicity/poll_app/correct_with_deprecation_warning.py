# expect: votes_race=2 votes_under_load=1
# reason: correct
# e2e: a correct answer that warns keeps its points (nbgrader scores any stderr as a failure)
"""A correct poll that emits DeprecationWarnings (at import and in a handler)."""
import os
import warnings

import redis

warnings.warn("this poll module is old", DeprecationWarning)
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
POLL = "poll:"


def vote(poll, option):
    warnings.warn("vote() is deprecated", DeprecationWarning)
    return r.hincrby(POLL + poll, option, 1)


def results(poll):
    return {option: int(count) for option, count in r.hgetall(POLL + poll).items()}

