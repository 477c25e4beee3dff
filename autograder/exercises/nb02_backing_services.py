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
from ..problem import AppExercise
from ..scenario import USERS_SHARE_STATE, Action, Phase, Request, Scenario

NOTEBOOK = "02-backing-services"

USERS = ["ana", "bo", "chen", "dara", "eli", "femi", "gus", "hana"]
ITEMS = ["apple", "bread", "cheese", "dates", "eggs", "figs"]
TAGS = ["admin", "beta", "student", "mentor", "night-owl"]
VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2, 3, 4, 5, 6)
LOGIC = "one process: the Redis code itself"


def _hint(q: str, n: int) -> str:
    return f"{NOTEBOOK}.{q}.hint.{n}"


def _harsh(seed: int) -> bool:
    """Hidden seeds get more processes and longer schedules than the visible one."""
    return seed not in VISIBLE_SEEDS


def _req(handler: str, user: str, **args) -> Request:
    return Request(handler, {"user": user, **args}, user)


def _disruption(rng: random.Random, processes: int) -> Action:
    return rng.choice(
        [
            Action("restart"),
            Action("kill", rng.randrange(processes)),
            Action("rolling"),
            Action("scale", rng.randint(2, processes + 2)),
        ]
    )


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
        return _req("save_profile", user, name=name, email=email)
    if kind == "tag":
        return _req("add_tag", user, tag=rng.choice(TAGS))
    return _req("get_profile" if kind == "get" else "tags", user)


def profiles_plan(seed: int) -> Scenario:
    rng = random.Random(seed)
    first, *users = rng.sample(USERS, 5)
    logic = [
        _req("get_profile", first),
        _req("tags", first),
        _req("save_profile", first, name="Ada Lovelace", email="ada@example.org"),
        _req("get_profile", first),
        _req("add_tag", first, tag="admin"),
        _req("add_tag", first, tag="admin"),
        _req("add_tag", first, tag="beta"),
        _req("tags", first),
        _req("save_profile", first, name="Ada King", email="ada.king@example.org"),
        _req("get_profile", first),
    ]
    processes = 4 if _harsh(seed) else 3
    # A user who has never been seen must see nothing, whatever the first user stored.
    steps: list = [_req("get_profile", users[0]), _req("tags", users[0])]
    # A profile read by several processes, then changed: nobody may see the old one.
    for email in ("bo@example.org", "bo@example.net", "bo.li@example.com"):
        steps.append(_req("save_profile", users[1], name="Bo Li", email=email))
        steps += [_req("get_profile", users[1]) for _ in range(4)]
    for _ in range(8 if _harsh(seed) else 5):
        steps += [_random_profile_request(rng, users) for _ in range(rng.randint(3, 6))]
        steps.append(_disruption(rng, processes))
    steps += [_req("get_profile", u) for u in users]
    steps += [_req("tags", u) for u in users]
    return Scenario(
        [Phase(1, "round-robin", logic, label=LOGIC), Phase(processes, "random", steps)],
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
        _req("get_cart", user),
        _req("add_item", user, item=a),
        _req("add_item", user, item=a, qty=2),
        _req("add_item", user, item=b, qty=2),
        _req("get_cart", user),
        _req("clear_cart", user),
        _req("get_cart", user),
    ]
    if not _harsh(seed):
        steps = [
            _req("get_cart", user),
            _req("add_item", user, item=a),
            _req("get_cart", user),
            _req("add_item", user, item=b, qty=2),
            Action("restart"),
            _req("get_cart", user),
            _req("add_item", user, item=a, qty=3),
            Action("kill", 0),
            _req("get_cart", user),
            _req("get_cart", user),
            Action("rolling"),
            _req("add_item", user, item=c),
            _req("get_cart", user),
            _req("get_cart", user),
        ]
        platform = Phase(2, "round-robin", steps)
    else:
        steps = [_req("get_cart", user)]
        for _ in range(6):
            for _ in range(rng.randint(2, 4)):
                steps.append(_req("add_item", user, item=rng.choice(ITEMS), qty=rng.randint(1, 3)))
                steps.append(_req("get_cart", user))
            steps.append(_disruption(rng, 3))
            steps.append(_req("get_cart", user))
        platform = Phase(3, "random", steps)
    return Scenario([Phase(1, "round-robin", logic, label=LOGIC), platform], seed=seed)


def cart_users_plan(seed: int) -> Scenario:
    """Many users at once, random routing, removals, clears, kills and scaling."""
    rng = random.Random(seed)
    first, *users = rng.sample(USERS, 6)
    a, b, c, d = rng.sample(ITEMS, 4)
    logic = [
        _req("add_item", first, item=a, qty=2),
        _req("add_item", first, item=b),
        _req("remove_item", first, item=a),
        _req("get_cart", first),
        _req("remove_item", first, item=c),  # not in the cart: nothing changes
        _req("add_item", first, item=b, qty=3),
        _req("get_cart", first),
        _req("clear_cart", first),
        _req("get_cart", first),
        _req("add_item", first, item=d),
        _req("remove_item", first, item=d),
        _req("get_cart", first),
    ]
    processes = 4 if _harsh(seed) else 3
    # Three users fill their carts with different items; then a fourth, who has never
    # been seen, looks at theirs: it must be empty.
    steps: list = [
        _req("add_item", user, item=item, qty=rng.randint(1, 3))
        for user, item in zip(users[:3], rng.sample(ITEMS, 3), strict=True)
    ]
    steps += [_req("get_cart", u) for u in (users[3], *users[:3])]
    # A cart read by several processes, then changed: nobody may see the old one.
    for _ in range(2):
        steps.append(_req("add_item", users[0], item=rng.choice(ITEMS)))
        steps += [_req("get_cart", users[0]) for _ in range(3)]
    for _ in range(8 if _harsh(seed) else 6):
        for _ in range(rng.randint(4, 8)):
            user = rng.choice(users)
            kind = rng.choices(["add", "remove", "get", "clear"], [5, 2, 4, 1])[0]
            if kind == "add":
                steps.append(_req("add_item", user, item=rng.choice(ITEMS), qty=rng.randint(1, 4)))
            elif kind == "remove":
                steps.append(_req("remove_item", user, item=rng.choice(ITEMS)))
            elif kind == "clear":
                steps.append(_req("clear_cart", user))
            else:
                steps.append(_req("get_cart", user))
        steps.append(_disruption(rng, processes))
    steps += [_req("get_cart", u) for u in users]
    return Scenario(
        [Phase(1, "round-robin", logic, label=LOGIC), Phase(processes, "random", steps)],
        seed=seed,
    )


def cart_diagnose(served, expected, *, first_visit: bool):
    """A user's very first look at their cart shows items: another user put them there."""
    if served.handler == "get_cart" and first_visit and served.value and not expected:
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
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
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
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

__all__ = ["q1", "q2"]
