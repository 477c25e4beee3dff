# expect: files_on_every_process=0
# reason: users_share_state
"""Every user's files in one hash: the user is missing from the key."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
FILES = "files"


def upload(user, name, text):
    r.hset(FILES, name, text)


def download(user, name):
    return r.hget(FILES, name)


def list_files(user):
    return sorted(r.hkeys(FILES))


def delete(user, name):
    r.hdel(FILES, name)
