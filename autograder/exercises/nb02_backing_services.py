"""02-backing-services: data modelling in Redis; a profile store and a stateless cart.

Every part opens with a short *logic* phase on one process (no routing, no restarts), so a
mistake in the Redis code itself (bytes instead of str, a list where a set belongs, HSET
where HINCRBY belongs) is reported as a wrong response of that one process. Only then does
the app run as several processes with restarts and kills, where a wrong response means
state that lives in the process. Hidden checks replay harsher schedules: more processes,
random routing and more rounds.
"""

from __future__ import annotations

import random

from ..models import CartModel  # one model of a correct cart, shared with the dashboard
from ..plans import disruption, harsh, user_request
from ..problem import AppExercise
from ..registry import bind_exercises
from ..scenario import USERS_SHARE_STATE
from ..steps import Action, Phase, Request, Scenario

USERS = ["ana", "bo", "chen", "dara", "eli", "femi", "gus", "hana"]
ITEMS = ["apple", "bread", "cheese", "dates", "eggs", "figs"]
TAGS = ["admin", "beta", "student", "mentor", "night-owl"]
VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2, 3, 4, 5, 6)


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
    kind = rng.choices(["save", "get", "tag", "tags"], [2, 3, 2, 2])[0]
    if kind == "save":
        name = rng.choice(["Ana", "Bo", "Chen", "Dara"]) + " " + rng.choice(["Novak", "Li", "Ito"])
        email = f"{user}{rng.randint(1, 99)}@example.org"
        return user_request("save_profile", user, name=name, email=email)
    if kind == "tag":
        return user_request("add_tag", user, tag=rng.choice(TAGS))
    return user_request("get_profile" if kind == "get" else "tags", user)


def profiles_plan(seed: int) -> Scenario:
    rng = random.Random(seed)
    first, *users = rng.sample(USERS, 5)
    logic = [
        user_request("get_profile", first),
        user_request("tags", first),
        user_request("save_profile", first, name="Ada Lovelace", email="ada@example.org"),
        user_request("get_profile", first),
        user_request("add_tag", first, tag="admin"),
        user_request("add_tag", first, tag="admin"),
        user_request("add_tag", first, tag="beta"),
        user_request("tags", first),
        user_request("save_profile", first, name="Ada King", email="ada.king@example.org"),
        user_request("get_profile", first),
    ]
    processes = 4 if harsh(seed) else 3
    # A user who has never been seen must see nothing, whatever the first user stored.
    steps: list = [user_request("get_profile", users[0]), user_request("tags", users[0])]
    # A profile read by several processes, then changed: nobody may see the old one.
    for email in ("bo@example.org", "bo@example.net", "bo.li@example.com"):
        steps.append(user_request("save_profile", users[1], name="Bo Li", email=email))
        steps += [user_request("get_profile", users[1]) for _ in range(4)]
    for _ in range(8 if harsh(seed) else 5):
        steps += [_random_profile_request(rng, users) for _ in range(rng.randint(3, 6))]
        steps.append(disruption(rng, processes))
    steps += [user_request("get_profile", u) for u in users]
    steps += [user_request("tags", u) for u in users]
    return Scenario(
        [Phase(1, "round-robin", logic), Phase(processes, "random", steps)],
        seed=seed,
    )


def profile_diagnose(served, expected, *, first_visit: bool):
    """A user's very first look shows a profile or tags: another user put them there."""
    if served.handler in ("get_profile", "tags") and first_visit and served.value and not expected:
        return USERS_SHARE_STATE
    return None


# -- q2: the cart -------------------------------------------------------------------------
def cart_restarts_plan(seed: int) -> Scenario:
    """One user: adding works on one process, then the cart outlives restarts and kills.

    Only add_item, get_cart and clear_cart are used, so this part is about surviving
    restarts; removing items and keeping users apart are the other part's job.
    """
    rng = random.Random(seed)
    user = rng.choice(USERS)
    a, b, c = rng.sample(ITEMS, 3)
    logic = [
        user_request("get_cart", user),
        user_request("add_item", user, item=a),
        user_request("add_item", user, item=a, qty=2),
        user_request("add_item", user, item=b, qty=2),
        user_request("get_cart", user),
        user_request("clear_cart", user),
        user_request("get_cart", user),
    ]
    if not harsh(seed):
        steps = [
            user_request("get_cart", user),
            user_request("add_item", user, item=a),
            user_request("get_cart", user),
            user_request("add_item", user, item=b, qty=2),
            Action("restart"),
            user_request("get_cart", user),
            user_request("add_item", user, item=a, qty=3),
            Action("kill", 0),
            user_request("get_cart", user),
            user_request("get_cart", user),
            Action("rolling"),
            user_request("add_item", user, item=c),
            user_request("get_cart", user),
            user_request("get_cart", user),
        ]
        platform = Phase(2, "round-robin", steps)
    else:
        steps = [user_request("get_cart", user)]
        for _ in range(6):
            for _ in range(rng.randint(2, 4)):
                steps.append(
                    user_request("add_item", user, item=rng.choice(ITEMS), qty=rng.randint(1, 3))
                )
                steps.append(user_request("get_cart", user))
            steps.append(disruption(rng, 3))
            steps.append(user_request("get_cart", user))
        platform = Phase(3, "random", steps)
    return Scenario([Phase(1, "round-robin", logic), platform], seed=seed)


def cart_users_plan(seed: int) -> Scenario:
    """Many users at once, random routing, removals, clears, kills and scaling."""
    rng = random.Random(seed)
    first, *users = rng.sample(USERS, 6)
    a, b, c, d = rng.sample(ITEMS, 4)
    logic = [
        user_request("add_item", first, item=a, qty=2),
        user_request("add_item", first, item=b),
        user_request("remove_item", first, item=a),
        user_request("get_cart", first),
        user_request("remove_item", first, item=c),  # not in the cart: nothing changes
        user_request("add_item", first, item=b, qty=3),
        user_request("get_cart", first),
        user_request("clear_cart", first),
        user_request("get_cart", first),
        user_request("add_item", first, item=d),
        user_request("remove_item", first, item=d),
        user_request("get_cart", first),
    ]
    processes = 4 if harsh(seed) else 3
    # Three users fill their carts with different items; then a fourth, who has never
    # been seen, looks at theirs: it must be empty.
    steps: list = [
        user_request("add_item", user, item=item, qty=rng.randint(1, 3))
        for user, item in zip(users[:3], rng.sample(ITEMS, 3), strict=True)
    ]
    steps += [user_request("get_cart", u) for u in (users[3], *users[:3])]
    # A cart read by several processes, then changed: nobody may see the old one.
    for _ in range(2):
        steps.append(user_request("add_item", users[0], item=rng.choice(ITEMS)))
        steps += [user_request("get_cart", users[0]) for _ in range(3)]
    for _ in range(8 if harsh(seed) else 6):
        for _ in range(rng.randint(4, 8)):
            user = rng.choice(users)
            kind = rng.choices(["add", "remove", "get", "clear"], [5, 2, 4, 1])[0]
            if kind == "add":
                steps.append(
                    user_request("add_item", user, item=rng.choice(ITEMS), qty=rng.randint(1, 4))
                )
            elif kind == "remove":
                steps.append(user_request("remove_item", user, item=rng.choice(ITEMS)))
            elif kind == "clear":
                steps.append(user_request("clear_cart", user))
            else:
                steps.append(user_request("get_cart", user))
        steps.append(disruption(rng, processes))
    steps += [user_request("get_cart", u) for u in users]
    return Scenario(
        [Phase(1, "round-robin", logic), Phase(processes, "random", steps)],
        seed=seed,
    )


def cart_diagnose(served, expected, *, first_visit: bool):
    """A user's very first look at their cart shows items: another user put them there."""
    if served.handler == "get_cart" and first_visit and served.value and not expected:
        return USERS_SHARE_STATE
    return None


profile_store_app = AppExercise(
    solution_cell="profile_store_app",
    app_file="profile_store.py",
    plans={"profiles": profiles_plan},
    model=ProfileModel,
    diagnose=profile_diagnose,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

cart_app = AppExercise(
    solution_cell="cart_app",
    app_file="cart.py",
    plans={"cart_survives_restarts": cart_restarts_plan, "carts_kept_apart": cart_users_plan},
    model=CartModel,
    diagnose=cart_diagnose,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

bind_exercises(globals(), [profile_store_app, cart_app])
