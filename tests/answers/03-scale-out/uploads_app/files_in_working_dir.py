# expect: files_on_every_process=0
# reason: state_not_shared
"""The app as it was: one folder per user, in the process's working directory."""
import os
from pathlib import Path

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
FILES = "files:"


def upload(user, name, text):
    folder = Path("uploads") / user
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


def download(user, name):
    path = Path("uploads") / user / name
    return path.read_text() if path.exists() else None


def list_files(user):
    folder = Path("uploads") / user
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def delete(user, name):
    path = Path("uploads") / user / name
    if path.exists():
        path.unlink()
