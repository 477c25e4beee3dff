"""Models of a correct app: what each handler of a stateless app must answer.

A model is a plain object with one method per handler, holding in memory what a correct
app keeps in its backing service. The exercise checks replay a scenario against a model
to know what every user should see, and the dashboard's workloads follow the same models
to tell a user who kept their state from one who lost it: one definition of "correct" for
both, so the dashboard never disagrees with ``check()``.

Models of one exercise only live in that exercise's module; the ones here are shared.
"""

from __future__ import annotations


class CartModel:
    """A shop cart per user: ``add_item``, ``remove_item``, ``clear_cart``, ``get_cart``."""

    def __init__(self):
        self.carts: dict[str, dict[str, int]] = {}

    def add_item(self, user, item, qty=1):
        cart = self.carts.setdefault(user, {})
        cart[item] = cart.get(item, 0) + qty
        return cart[item]

    def remove_item(self, user, item):
        self.carts.get(user, {}).pop(item, None)

    def clear_cart(self, user):
        self.carts.pop(user, None)

    def get_cart(self, user):
        return dict(self.carts.get(user, {}))


class CounterModel:
    """One hit counter for the whole app: ``hit()`` counts, ``count()`` shows the total."""

    def __init__(self):
        self.hits = 0

    def hit(self):
        self.hits += 1
        return self.hits

    def count(self):
        return self.hits
