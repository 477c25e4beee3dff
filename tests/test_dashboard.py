"""The dashboard: its controls drive the cluster, and its users panel counts correctly."""

from __future__ import annotations

from autograder import Cluster
from tests.conftest import write_app

CART_IN_MEMORY = """
carts = {}


def add_item(user, item, qty=1):
    cart = carts.setdefault(user, {})
    cart[item] = cart.get(item, 0) + qty
    return cart[item]


def get_cart(user):
    return dict(carts.get(user, {}))
"""


def test_send_passes_a_user_argument_and_routes_by_user(app_dir, redis_service):
    app = write_app(app_dir, "cart.py", CART_IN_MEMORY)
    with Cluster(app, processes=3, router="sticky", redis=redis_service) as cluster:
        added = cluster.send("add_item", {"user": "ana", "item": "apple"}, user="ana")
        seen = cluster.send("get_cart", {"user": "ana"}, user="ana")
    assert added.ok and added.args == {"user": "ana", "item": "apple"}
    assert (seen.value, seen.pid, seen.user) == ({"apple": 1}, added.pid, "ana")
    assert [s.seq for s in cluster.log] == [1, 2]
