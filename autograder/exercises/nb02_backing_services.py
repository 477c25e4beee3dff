"""02-backing-services: data modelling in Redis; a profile store and a stateless cart."""

from __future__ import annotations

import random

from ..problem import AppExercise
from ..scenario import USERS_SHARE_STATE, Action, Phase, Request, Scenario

NOTEBOOK = "02-backing-services"
USERS = ["ana", "bo", "chen", "dara", "eli", "femi", "gus", "hana"]
ITEMS = ["apple", "bread", "cheese", "dates", "eggs", "figs"]
TAGS = ["admin", "beta", "student", "mentor", "night-owl"]


def _hint(q: str, n: int) -> str:
    return f"{NOTEBOOK}.{q}.hint.{n}"


# -- q1: profiles -------------------------------------------------------------------------
class ProfileModel:
    def __init__(self):
        self.profiles: dict[str, dict[str, str]] = {}
        self.tag_sets: dict[str, set[str]] = {}

    def save_profile(self, user, name, email):
        self.profiles[user] = {"name": name, "email": email}

    def get_profile(self, user):
        return dict(self.profiles.get(user, {}))

    def add_tag(self, user, tag):
        self.tag_sets.setdefault(user, set()).add(tag)

    def tags(self, user):
        return sorted(self.tag_sets.get(user, set()))


def _random_profile_request(rng: random.Random, users: list[str]) -> Request:
    user = rng.choice(users)
    kind = rng.choice(["save", "get", "get", "tag", "tags"])
    if kind == "save":
        name = rng.choice(["Ana", "Bo", "Chen", "Dara"]) + " " + rng.choice(["Novak", "Li", "Ito"])
        email = f"{user}{rng.randint(1, 99)}@example.org"
        return Request("save_profile", {"user": user, "name": name, "email": email}, user)
    if kind == "tag":
        return Request("add_tag", {"user": user, "tag": rng.choice(TAGS)}, user)
    handler = "get_profile" if kind == "get" else "tags"
    return Request(handler, {"user": user}, user)


def profiles_plan(seed: int) -> Scenario:
    rng = random.Random(seed)
    users = rng.sample(USERS, 4)
    opening = [
        Request("get_profile", {"user": users[0]}, users[0]),
        Request(
            "save_profile",
            {"user": users[0], "name": "Ada Lovelace", "email": "ada@example.org"},
            users[0],
        ),
        Request("get_profile", {"user": users[0]}, users[0]),
        Request("add_tag", {"user": users[0], "tag": "admin"}, users[0]),
        Request("add_tag", {"user": users[0], "tag": "admin"}, users[0]),
        Request("tags", {"user": users[0]}, users[0]),
        Request("get_profile", {"user": users[1]}, users[1]),
        Request("tags", {"user": users[1]}, users[1]),
    ]
    steps = list(opening)
    for _ in range(5):
        steps += [_random_profile_request(rng, users) for _ in range(rng.randint(3, 6))]
        steps.append(rng.choice([Action("restart"), Action("kill", rng.randrange(3))]))
    steps += [Request("get_profile", {"user": u}, u) for u in users]
    steps += [Request("tags", {"user": u}, u) for u in users]
    return Scenario([Phase(3, "random", steps)], seed=seed)


# -- q2: the cart -------------------------------------------------------------------------
class CartModel:
    def __init__(self):
        self.carts: dict[str, dict[str, int]] = {}

    def add_item(self, user, item, qty=1):
        cart = self.carts.setdefault(user, {})
        cart[item] = cart.get(item, 0) + qty
        return cart[item]

    def remove_item(self, user, item):
        self.carts.get(user, {}).pop(item, None)

    def get_cart(self, user):
        return dict(self.carts.get(user, {}))

    def clear_cart(self, user):
        self.carts.pop(user, None)


def cart_restarts_plan(seed: int) -> Scenario:
    """One user, two processes round-robin, restarts and kills between requests."""
    rng = random.Random(seed)
    user = rng.choice(USERS)
    items = rng.sample(ITEMS, 3)

    def req(handler, **args):
        return Request(handler, {"user": user, **args}, user)

    steps = [
        req("get_cart"),
        req("add_item", item=items[0]),
        req("get_cart"),
        req("add_item", item=items[1], qty=2),
        Action("restart"),
        req("get_cart"),
        req("add_item", item=items[0], qty=3),
        Action("kill", 0),
        req("get_cart"),
        req("get_cart"),
        Action("rolling"),
        req("add_item", item=items[2]),
        req("get_cart"),
        req("get_cart"),
    ]
    return Scenario([Phase(2, "round-robin", steps)], seed=seed)


def cart_users_plan(seed: int) -> Scenario:
    """Many users at once, random routing, removals, clears, kills and scaling."""
    rng = random.Random(seed)
    users = rng.sample(USERS, 5)
    steps: list = []
    for user in users[:3]:
        steps.append(
            Request(
                "add_item",
                {"user": user, "item": rng.choice(ITEMS), "qty": rng.randint(1, 3)},
                user,
            )
        )
    steps += [Request("get_cart", {"user": u}, u) for u in users[:4]]
    for _ in range(6):
        for _ in range(rng.randint(4, 8)):
            user = rng.choice(users)
            kind = rng.choices(["add", "remove", "get", "clear"], [5, 2, 4, 1])[0]
            if kind == "add":
                args = {"user": user, "item": rng.choice(ITEMS), "qty": rng.randint(1, 4)}
                steps.append(Request("add_item", args, user))
            elif kind == "remove":
                steps.append(
                    Request("remove_item", {"user": user, "item": rng.choice(ITEMS)}, user)
                )
            elif kind == "clear":
                steps.append(Request("clear_cart", {"user": user}, user))
            else:
                steps.append(Request("get_cart", {"user": user}, user))
        steps.append(
            rng.choice(
                [
                    Action("kill", rng.randrange(3)),
                    Action("scale", 4),
                    Action("rolling"),
                    Action("scale", 2),
                    Action("restart"),
                ]
            )
        )
    steps += [Request("get_cart", {"user": u}, u) for u in users]
    return Scenario([Phase(3, "random", steps)], seed=seed)


def cart_diagnose(served, expected, *, first_visit: bool):
    """A user's very first look at their cart shows items: another user put them there."""
    if served.handler == "get_cart" and first_visit and served.value and not expected:
        return USERS_SHARE_STATE
    return None


def profile_diagnose(served, expected, *, first_visit: bool):
    if served.handler in ("get_profile", "tags") and first_visit and served.value and not expected:
        return USERS_SHARE_STATE
    return None


q1 = AppExercise(
    notebook=NOTEBOOK,
    name="q1",
    hints=[_hint("q1", 1), _hint("q1", 2)],
    solution_cell="profile_store_app",
    app_file="profile_store.py",
    plans={"profiles": profiles_plan},
    model=ProfileModel,
    diagnose=profile_diagnose,
)

q2 = AppExercise(
    notebook=NOTEBOOK,
    name="q2",
    hints=[_hint("q2", 1), _hint("q2", 2)],
    solution_cell="cart_app",
    app_file="cart.py",
    plans={"cart_survives_restarts": cart_restarts_plan, "carts_kept_apart": cart_users_plan},
    model=CartModel,
    diagnose=cart_diagnose,
)

__all__ = ["q1", "q2"]
