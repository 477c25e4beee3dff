# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: cannot_reach_redis
# redis.Redis() means localhost:6379, the address on the author's laptop; the platform
# says where its Redis is in REDIS_URL.
import redis

r = redis.Redis(decode_responses=True)


def hit():
    return r.incr("hits")


def count():
    return int(r.get("hits") or 0)
