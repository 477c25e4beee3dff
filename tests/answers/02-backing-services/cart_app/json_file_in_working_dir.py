# expect: cart_survives_restarts=0 carts_kept_apart=0
# reason: state_not_shared
"""carts.json next to the process: its own disk, wiped on restart, not shared."""
import json
import os

PATH = "carts.json"


def _load():
    if not os.path.exists(PATH):
        return {}
    with open(PATH) as f:
        return json.load(f)


def _save(carts):
    with open(PATH, "w") as f:
        json.dump(carts, f)


def add_item(user, item, qty=1):
    carts = _load()
    cart = carts.setdefault(user, {})
    cart[item] = cart.get(item, 0) + qty
    _save(carts)
    return cart[item]


def remove_item(user, item):
    carts = _load()
    carts.get(user, {}).pop(item, None)
    _save(carts)


def get_cart(user):
    return _load().get(user, {})


def clear_cart(user):
    carts = _load()
    carts.pop(user, None)
    _save(carts)
