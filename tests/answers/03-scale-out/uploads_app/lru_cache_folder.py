# expect: files_on_every_process=0
# reason: state_not_shared
"""A cached "storage" helper: the same dict per user, but only inside one process."""
import functools
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


@functools.lru_cache(maxsize=None)
def storage(user):
    return {}


def upload(user, name, text):
    storage(user)[name] = text


def download(user, name):
    return storage(user).get(name)


def list_files(user):
    return sorted(storage(user))


def delete(user, name):
    storage(user).pop(name, None)
