# expect: cart_survives_restarts=0 carts_kept_apart=0
# reason: state_not_shared
"""The cart in a module-level dict: gone on restart, different in every process."""
carts = {}


def add_item(user, item, qty=1):
    cart = carts.setdefault(user, {})
    cart[item] = cart.get(item, 0) + qty
    return cart[item]


def remove_item(user, item):
    carts.get(user, {}).pop(item, None)


def get_cart(user):
    return dict(carts.get(user, {}))


def clear_cart(user):
    carts.pop(user, None)
