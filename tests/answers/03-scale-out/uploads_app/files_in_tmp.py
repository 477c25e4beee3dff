# expect: files_on_every_process=0
# reason: write_outside_disk
"""Puts the uploads in /tmp "so that every process finds them", as on a laptop."""
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
ROOT = "/tmp/uploads"


def upload(user, name, text):
    os.makedirs(f"{ROOT}/{user}", exist_ok=True)
    with open(f"{ROOT}/{user}/{name}", "w") as f:
        f.write(text)


def download(user, name):
    path = f"{ROOT}/{user}/{name}"
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return f.read()


def list_files(user):
    folder = f"{ROOT}/{user}"
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def delete(user, name):
    path = f"{ROOT}/{user}/{name}"
    if os.path.exists(path):
        os.remove(path)
