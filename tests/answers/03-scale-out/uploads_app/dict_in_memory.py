# expect: files_on_every_process=0
# reason: state_not_shared
"""Connects to Redis, then keeps the files in a dict anyway."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
FILES = "files:"
files = {}  # user -> {name: text}


def upload(user, name, text):
    files.setdefault(user, {})[name] = text


def download(user, name):
    return files.get(user, {}).get(name)


def list_files(user):
    return sorted(files.get(user, {}))


def delete(user, name):
    files.get(user, {}).pop(name, None)
