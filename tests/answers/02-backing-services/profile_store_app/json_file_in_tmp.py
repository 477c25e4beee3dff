# expect: profiles_across_processes=0
# reason: write_outside_disk
"""Shares one JSON file in /tmp between processes, as on a laptop."""
import json
import os

PATH = "/tmp/profiles.json"


def _load():
    if not os.path.exists(PATH):
        return {"profiles": {}, "tags": {}}
    with open(PATH) as f:
        return json.load(f)


def _save(data):
    with open(PATH, "w") as f:
        json.dump(data, f)


def save_profile(user, name, email):
    data = _load()
    data["profiles"][user] = {"name": name, "email": email}
    _save(data)


def get_profile(user):
    return _load()["profiles"].get(user, {})


def add_tag(user, tag):
    data = _load()
    if tag not in data["tags"].setdefault(user, []):
        data["tags"][user].append(tag)
    _save(data)


def tags(user):
    return sorted(_load()["tags"].get(user, []))
