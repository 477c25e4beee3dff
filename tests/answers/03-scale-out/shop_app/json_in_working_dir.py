# expect: shop_round_robin=0 shop_random_scaling=0
# reason: state_not_shared
"""Saves the three dicts to shop.json next to the app after every request."""
import json
import os

DOWNLOAD_LIMIT = 3
PATH = "shop.json"


def _load():
    if not os.path.exists(PATH):
        return {"views": {}, "recent": {}, "downloads": {}}
    with open(PATH) as f:
        return json.load(f)


def _save(state):
    with open(PATH, "w") as f:
        json.dump(state, f)


def view(user, product):
    state = _load()
    state["views"][user] = state["views"].get(user, 0) + 1
    seen = [p for p in state["recent"].get(user, []) if p != product]
    state["recent"][user] = [product, *seen][:3]
    _save(state)
    return state["views"][user]


def recently_viewed(user):
    return _load()["recent"].get(user, [])


def free_download(user):
    state = _load()
    used = state["downloads"].get(user, 0)
    if used >= DOWNLOAD_LIMIT:
        return False
    state["downloads"][user] = used + 1
    _save(state)
    return True
