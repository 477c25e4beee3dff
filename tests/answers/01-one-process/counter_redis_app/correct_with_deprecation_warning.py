# expect: counter_survives_restarts=2 counter_shared_by_processes=3
# reason: correct
# e2e: a correct answer that warns keeps its points (nbgrader scores any stderr as a failure)
# Correct; the warnings must not cost points (nbgrader scores any stderr output as 0).
import os
import warnings

import redis

warnings.warn("this counter module is deprecated", DeprecationWarning, stacklevel=1)
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def hit():
    warnings.warn("hit() is deprecated", DeprecationWarning, stacklevel=1)
    return r.incr("hits")


def count():
    return int(r.get("hits") or 0)
