# expect: files_on_every_process=0
# reason: state_not_shared
"""Uses the system temp dir the portable way; each process still has its own."""
import json
import os
import tempfile

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
INDEX = os.path.join(tempfile.gettempdir(), "uploads.json")


def _load():
    if not os.path.exists(INDEX):
        return {}
    with open(INDEX) as f:
        return json.load(f)


def _save(data):
    with open(INDEX, "w") as f:
        json.dump(data, f)


def upload(user, name, text):
    data = _load()
    data.setdefault(user, {})[name] = text
    _save(data)


def download(user, name):
    return _load().get(user, {}).get(name)


def list_files(user):
    return sorted(_load().get(user, {}))


def delete(user, name):
    data = _load()
    data.get(user, {}).pop(name, None)
    _save(data)
