"""03-scale-out: one app, N processes behind a router; each has its own memory and disk.

q1 is a prediction (round-robin is predictable: which reads land on the process that
holds a note on its own disk). q2 is a faded exercise: an upload store whose files sat on
the local disk moves them to Redis. q3 is the learner's own: a given shop app keeps three
kinds of state in globals (a view counter, a "recently viewed" list and a download quota);
it must stay correct under round-robin and random routing with restarts, kills, rolling
restarts and scaling.

Every part opens with a short *logic* phase on one process, so a mistake in the Redis
code itself is reported as a wrong response of that one process, and an answer that only
works while there is one process (a cache in front of Redis) passes it and fails later.
The platform phases use other users than the logic phase, so a lost value is blamed on
the process that served it, not on the redeploy between phases. Hidden seeds run more
processes, scale further and replay longer schedules.
"""

from __future__ import annotations

import random

from ..plans import disruption, harsh, user_request
from ..problem import AppExercise, Prediction, whole_number
from ..registry import bind_exercises
from ..scenario import USERS_SHARE_STATE
from ..steps import Action, Phase, Request, Scenario

USERS = ["ana", "bo", "chen", "dara", "eli", "femi", "gus", "hana"]
PRODUCTS = ["lamp", "desk", "chair", "shelf", "rug", "mirror", "clock"]
FILES = ["cv.txt", "notes.md", "plan.txt", "todo.txt", "poem.txt"]
VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2, 3, 4)
DOWNLOAD_LIMIT = 3


# -- q1: a prediction ---------------------------------------------------------------------
predict_notes_found = Prediction(
    solution_cell="predict_notes_found",
    variable="notes_found",
    answer=2,
    normalise=whole_number,
)


# -- q2: uploads, faded -------------------------------------------------------------------
class FilesModel:
    """What a correct upload store answers: one dict of files per user."""

    def __init__(self):
        self.files: dict[str, dict[str, str]] = {}

    def upload(self, user, name, text):
        self.files.setdefault(user, {})[name] = text

    def download(self, user, name):
        return self.files.get(user, {}).get(name)

    def list_files(self, user):
        return sorted(self.files.get(user, {}))

    def delete(self, user, name):
        self.files.get(user, {}).pop(name, None)


def _text(rng: random.Random, name: str) -> str:
    return f"{name} v{rng.randint(1, 999)}: " + rng.choice(
        ["draft", "final", "to read", "do not share", "shopping", "ideas"]
    )


def _random_file_request(rng: random.Random, users: list[str]) -> Request:
    user = rng.choice(users)
    name = rng.choice(FILES)
    kind = rng.choices(["upload", "download", "list", "delete"], [4, 4, 2, 1])[0]
    if kind == "upload":
        return user_request("upload", user, name=name, text=_text(rng, name))
    if kind == "download":
        return user_request("download", user, name=name)
    if kind == "delete":
        return user_request("delete", user, name=name)
    return user_request("list_files", user)


def files_plan(seed: int) -> Scenario:
    rng = random.Random(seed)
    first, *users = rng.sample(USERS, 5)
    a, b, c = rng.sample(FILES, 3)
    logic = [
        user_request("list_files", first),
        user_request("download", first, name=a),
        user_request("upload", first, name=a, text="first version"),
        user_request("download", first, name=a),
        user_request("upload", first, name=b, text="another file"),
        user_request("list_files", first),
        user_request("upload", first, name=a, text="second version"),
        user_request("download", first, name=a),
        user_request("delete", first, name=a),
        user_request("download", first, name=a),
        user_request("list_files", first),
    ]
    processes = 4 if harsh(seed) else 3
    owner, other = users[0], users[1]
    # Round-robin: an upload on one process, then a download on each of the others.
    steps: list = [user_request("upload", owner, name=a, text="v1 of " + a)]
    steps += [user_request("download", owner, name=a) for _ in range(processes)]
    # Another user, never seen, must not see the owner's files.
    steps += [user_request("list_files", other), user_request("download", other, name=a)]
    # A file every process has read, then replaced: nobody may serve the old one.
    steps.append(user_request("upload", owner, name=a, text="v2 of " + a))
    steps += [user_request("download", owner, name=a) for _ in range(processes)]
    steps += [user_request("upload", owner, name=b, text="v1 of " + b), Action("restart")]
    steps += [user_request("list_files", owner), user_request("download", owner, name=b)]
    steps += [Action("kill", 1), user_request("delete", owner, name=b)]
    steps += [user_request("list_files", owner) for _ in range(processes)]
    steps += [
        Action("rolling"),
        user_request("download", owner, name=a),
        user_request("list_files", owner),
    ]
    round_robin = Phase(processes, "round-robin", steps)
    # Random routing, more users, processes come and go.
    steps = [user_request("upload", users[2], name=c, text=_text(rng, c))]
    for _ in range(6 if harsh(seed) else 4):
        steps += [_random_file_request(rng, users) for _ in range(rng.randint(3, 6))]
        steps.append(disruption(rng, processes, shrink_to_one=True))
    steps.append(Action("scale", processes + 2 if harsh(seed) else processes + 1))
    steps += [user_request("list_files", u) for u in users]
    steps += [user_request("download", u, name=n) for u in users[:2] for n in (a, c)]
    steps.append(Action("scale", 2))
    steps += [user_request("list_files", u) for u in users]
    randomly = Phase(processes, "random", steps)
    return Scenario([Phase(1, "round-robin", logic), round_robin, randomly], seed=seed)


def files_diagnose(served, expected, *, first_visit: bool):
    """A user's very first look shows files: another user put them there."""
    if served.handler in ("list_files", "download") and first_visit and served.value:
        if not expected:
            return USERS_SHARE_STATE
    return None


uploads_app = AppExercise(
    solution_cell="uploads_app",
    app_file="uploads.py",
    plans={"files_on_every_process": files_plan},
    model=FilesModel,
    diagnose=files_diagnose,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)


# -- q3: the shop, the learner's own ------------------------------------------------------
class ShopModel:
    """A correct shop: views per user, the last 3 distinct products, a download quota."""

    def __init__(self):
        self.views: dict[str, int] = {}
        self.recent: dict[str, list[str]] = {}
        self.downloads: dict[str, int] = {}

    def view(self, user, product):
        self.views[user] = self.views.get(user, 0) + 1
        seen = [p for p in self.recent.get(user, []) if p != product]
        self.recent[user] = [product, *seen][:3]
        return self.views[user]

    def recently_viewed(self, user):
        return list(self.recent.get(user, []))

    def free_download(self, user):
        if self.downloads.get(user, 0) >= DOWNLOAD_LIMIT:
            return False
        self.downloads[user] = self.downloads.get(user, 0) + 1
        return True


def _shop_logic(user: str, products: list[str]) -> list:
    a, b, c, d = products
    return [
        user_request("recently_viewed", user),
        user_request("view", user, product=a),
        user_request("view", user, product=b),
        user_request("view", user, product=a),
        user_request("recently_viewed", user),
        user_request("view", user, product=c),
        user_request("view", user, product=d),
        user_request("recently_viewed", user),
        *[user_request("free_download", user) for _ in range(DOWNLOAD_LIMIT + 2)],
    ]


def _random_shop_request(rng: random.Random, users: list[str]) -> Request:
    user = rng.choice(users)
    kind = rng.choices(["view", "recent", "download"], [5, 3, 2])[0]
    if kind == "view":
        return user_request("view", user, product=rng.choice(PRODUCTS))
    if kind == "recent":
        return user_request("recently_viewed", user)
    return user_request("free_download", user)


def shop_round_robin_plan(seed: int) -> Scenario:
    """Round-robin spreads each user over every process; restarts, a kill, a deploy."""
    rng = random.Random(seed)
    first, user, *others = rng.sample(USERS, 4)
    processes = 4 if harsh(seed) else 3
    p = rng.sample(PRODUCTS, 5)
    steps: list = [user_request("view", user, product=x) for x in p[:processes]]
    # Every process reads the list, then it changes: nobody may show the old one.
    steps += [user_request("recently_viewed", user) for _ in range(processes)]
    steps.append(user_request("view", user, product=p[4]))
    steps += [user_request("recently_viewed", user) for _ in range(processes)]
    # The quota is per user, not per process.
    steps += [user_request("free_download", user) for _ in range(2)]
    steps.append(Action("restart"))
    steps += [user_request("free_download", user) for _ in range(2)]
    steps += [
        Action("kill", 0),
        user_request("free_download", user),
        user_request("view", user, product=p[0]),
    ]
    steps += [
        Action("rolling"),
        user_request("recently_viewed", user),
        user_request("view", user, product=p[1]),
    ]
    if harsh(seed):
        for _ in range(3):
            steps += [_random_shop_request(rng, [user, *others]) for _ in range(rng.randint(4, 7))]
            steps.append(rng.choice([Action("restart"), Action("kill", 1), Action("rolling")]))
        steps += [user_request("recently_viewed", u) for u in (user, *others)]
    logic = _shop_logic(first, rng.sample(PRODUCTS, 4))
    return Scenario(
        [Phase(1, "round-robin", logic), Phase(processes, "round-robin", steps)],
        seed=seed,
    )


def shop_random_plan(seed: int) -> Scenario:
    """Many users, random routing, kills and scaling up and down."""
    rng = random.Random(seed)
    first, *users = rng.sample(USERS, 6)
    processes = 4 if harsh(seed) else 3
    # Users who have never been seen must see nothing of the others.
    steps: list = [user_request("view", users[0], product=rng.choice(PRODUCTS)) for _ in range(2)]
    steps += [user_request("free_download", users[0]) for _ in range(DOWNLOAD_LIMIT)]
    steps += [
        user_request("view", users[1], product="lamp"),
        user_request("recently_viewed", users[2]),
    ]
    steps += [user_request("free_download", users[3])]
    for _ in range(6 if harsh(seed) else 5):
        steps += [_random_shop_request(rng, users) for _ in range(rng.randint(4, 8))]
        steps.append(disruption(rng, processes, shrink_to_one=True))
    steps.append(Action("scale", processes + 3 if harsh(seed) else processes + 2))
    for u in users:
        steps += [user_request("recently_viewed", u), user_request("free_download", u)]
    steps.append(Action("scale", 1))
    steps += [user_request("recently_viewed", u) for u in users]
    logic = _shop_logic(first, rng.sample(PRODUCTS, 4))
    return Scenario(
        [Phase(1, "round-robin", logic), Phase(processes, "random", steps)],
        seed=seed,
    )


def shop_diagnose(served, expected, *, first_visit: bool):
    """A user's very first request shows another user's views, list or downloads."""
    if not first_visit:
        return None
    if served.handler == "view" and isinstance(served.value, int) and served.value > expected:
        return USERS_SHARE_STATE
    if served.handler == "recently_viewed" and served.value and not expected:
        return USERS_SHARE_STATE
    if served.handler == "free_download" and served.value is False and expected is True:
        return USERS_SHARE_STATE
    return None


shop_app = AppExercise(
    solution_cell="shop_app",
    app_file="shop.py",
    plans={"shop_round_robin": shop_round_robin_plan, "shop_random_scaling": shop_random_plan},
    model=ShopModel,
    diagnose=shop_diagnose,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

bind_exercises(globals(), [predict_notes_found, uploads_app, shop_app])
