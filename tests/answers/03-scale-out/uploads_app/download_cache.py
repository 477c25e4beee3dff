# expect: files_on_every_process=0
# reason: state_not_shared
"""Right in Redis, plus a per-process cache of downloads: fine on one process only.

The cache is dropped on upload and delete, but only in the process that served them;
the other processes keep serving the old version.
"""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
FILES = "files:"
_cache = {}  # (user, name) -> text, "to save a round trip"


def upload(user, name, text):
    r.hset(FILES + user, name, text)
    _cache[(user, name)] = text


def download(user, name):
    if (user, name) not in _cache:
        _cache[(user, name)] = r.hget(FILES + user, name)
    return _cache[(user, name)]


def list_files(user):
    return sorted(r.hkeys(FILES + user))


def delete(user, name):
    r.hdel(FILES + user, name)
    _cache.pop((user, name), None)
