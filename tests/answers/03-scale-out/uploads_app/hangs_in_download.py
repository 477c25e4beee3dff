# expect: files_on_every_process=0
# reason: timeout
"""download() waits for a file that never arrives."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
FILES = "files:"  # files:<user> -> one entry per file: its name -> its text


def upload(user, name, text):
    r.hset(FILES + user, name, text)


def download(user, name):
    while True:
        pass


def list_files(user):
    return sorted(r.hkeys(FILES + user))


def delete(user, name):
    r.hdel(FILES + user, name)
