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

from ..problem import AppExercise, Prediction, whole_number
from ..scenario import USERS_SHARE_STATE, Action, Phase, Request, Scenario

NOTEBOOK = "03-scale-out"

USERS = ["ana", "bo", "chen", "dara", "eli", "femi", "gus", "hana"]
PRODUCTS = ["lamp", "desk", "chair", "shelf", "rug", "mirror", "clock"]
FILES = ["cv.txt", "notes.md", "plan.txt", "todo.txt", "poem.txt"]
VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2, 3, 4)
LOGIC = "one process: the Redis code itself"
DOWNLOAD_LIMIT = 3


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
            Action("scale", rng.randint(1, 2)),
        ]
    )


# -- q1: a prediction ---------------------------------------------------------------------
q1 = Prediction(
    notebook=NOTEBOOK,
    name="q1",
    hints=[_hint("q1", 1), _hint("q1", 2)],
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
        return _req("upload", user, name=name, text=_text(rng, name))
    if kind == "download":
        return _req("download", user, name=name)
    if kind == "delete":
        return _req("delete", user, name=name)
    return _req("list_files", user)


def files_plan(seed: int) -> Scenario:
    rng = random.Random(seed)
    first, *users = rng.sample(USERS, 5)
    a, b, c = rng.sample(FILES, 3)
    logic = [
        _req("list_files", first),
        _req("download", first, name=a),
        _req("upload", first, name=a, text="first version"),
        _req("download", first, name=a),
        _req("upload", first, name=b, text="another file"),
        _req("list_files", first),
        _req("upload", first, name=a, text="second version"),
        _req("download", first, name=a),
        _req("delete", first, name=a),
        _req("download", first, name=a),
        _req("list_files", first),
    ]
    processes = 4 if _harsh(seed) else 3
    owner, other = users[0], users[1]
    # Round-robin: an upload on one process, then a download on each of the others.
    steps: list = [_req("upload", owner, name=a, text="v1 of " + a)]
    steps += [_req("download", owner, name=a) for _ in range(processes)]
    # Another user, never seen, must not see the owner's files.
    steps += [_req("list_files", other), _req("download", other, name=a)]
    # A file every process has read, then replaced: nobody may serve the old one.
    steps.append(_req("upload", owner, name=a, text="v2 of " + a))
    steps += [_req("download", owner, name=a) for _ in range(processes)]
    steps += [_req("upload", owner, name=b, text="v1 of " + b), Action("restart")]
    steps += [_req("list_files", owner), _req("download", owner, name=b)]
    steps += [Action("kill", 1), _req("delete", owner, name=b)]
    steps += [_req("list_files", owner) for _ in range(processes)]
    steps += [Action("rolling"), _req("download", owner, name=a), _req("list_files", owner)]
    round_robin = Phase(processes, "round-robin", steps)
    # Random routing, more users, processes come and go.
    steps = [_req("upload", users[2], name=c, text=_text(rng, c))]
    for _ in range(6 if _harsh(seed) else 4):
        steps += [_random_file_request(rng, users) for _ in range(rng.randint(3, 6))]
        steps.append(_disruption(rng, processes))
    steps.append(Action("scale", processes + 2 if _harsh(seed) else processes + 1))
    steps += [_req("list_files", u) for u in users]
    steps += [_req("download", u, name=n) for u in users[:2] for n in (a, c)]
    steps.append(Action("scale", 2))
    steps += [_req("list_files", u) for u in users]
    randomly = Phase(processes, "random", steps)
    return Scenario([Phase(1, "round-robin", logic, label=LOGIC), round_robin, randomly], seed=seed)


def files_diagnose(served, expected, *, first_visit: bool):
    """A user's very first look shows files: another user put them there."""
    if served.handler in ("list_files", "download") and first_visit and served.value:
        if not expected:
            return USERS_SHARE_STATE
    return None


q2 = AppExercise(
    notebook=NOTEBOOK,
    name="q2",
    hints=[_hint("q2", 1), _hint("q2", 2)],
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
        _req("recently_viewed", user),
        _req("view", user, product=a),
        _req("view", user, product=b),
        _req("view", user, product=a),
        _req("recently_viewed", user),
        _req("view", user, product=c),
        _req("view", user, product=d),
        _req("recently_viewed", user),
        *[_req("free_download", user) for _ in range(DOWNLOAD_LIMIT + 2)],
    ]


def _random_shop_request(rng: random.Random, users: list[str]) -> Request:
    user = rng.choice(users)
    kind = rng.choices(["view", "recent", "download"], [5, 3, 2])[0]
    if kind == "view":
        return _req("view", user, product=rng.choice(PRODUCTS))
    if kind == "recent":
        return _req("recently_viewed", user)
    return _req("free_download", user)


def shop_round_robin_plan(seed: int) -> Scenario:
    """Round-robin spreads each user over every process; restarts, a kill, a deploy."""
    rng = random.Random(seed)
    first, user, *others = rng.sample(USERS, 4)
    processes = 4 if _harsh(seed) else 3
    p = rng.sample(PRODUCTS, 5)
    steps: list = [_req("view", user, product=x) for x in p[:processes]]
    # Every process reads the list, then it changes: nobody may show the old one.
    steps += [_req("recently_viewed", user) for _ in range(processes)]
    steps.append(_req("view", user, product=p[4]))
    steps += [_req("recently_viewed", user) for _ in range(processes)]
    # The quota is per user, not per process.
    steps += [_req("free_download", user) for _ in range(2)]
    steps.append(Action("restart"))
    steps += [_req("free_download", user) for _ in range(2)]
    steps += [Action("kill", 0), _req("free_download", user), _req("view", user, product=p[0])]
    steps += [Action("rolling"), _req("recently_viewed", user), _req("view", user, product=p[1])]
    if _harsh(seed):
        for _ in range(3):
            steps += [_random_shop_request(rng, [user, *others]) for _ in range(rng.randint(4, 7))]
            steps.append(rng.choice([Action("restart"), Action("kill", 1), Action("rolling")]))
        steps += [_req("recently_viewed", u) for u in (user, *others)]
    logic = _shop_logic(first, rng.sample(PRODUCTS, 4))
    return Scenario(
        [Phase(1, "round-robin", logic, label=LOGIC), Phase(processes, "round-robin", steps)],
        seed=seed,
    )


def shop_random_plan(seed: int) -> Scenario:
    """Many users, random routing, kills and scaling up and down."""
    rng = random.Random(seed)
    first, *users = rng.sample(USERS, 6)
    processes = 4 if _harsh(seed) else 3
    # Users who have never been seen must see nothing of the others.
    steps: list = [_req("view", users[0], product=rng.choice(PRODUCTS)) for _ in range(2)]
    steps += [_req("free_download", users[0]) for _ in range(DOWNLOAD_LIMIT)]
    steps += [_req("view", users[1], product="lamp"), _req("recently_viewed", users[2])]
    steps += [_req("free_download", users[3])]
    for _ in range(6 if _harsh(seed) else 5):
        steps += [_random_shop_request(rng, users) for _ in range(rng.randint(4, 8))]
        steps.append(_disruption(rng, processes))
    steps.append(Action("scale", processes + 3 if _harsh(seed) else processes + 2))
    for u in users:
        steps += [_req("recently_viewed", u), _req("free_download", u)]
    steps.append(Action("scale", 1))
    steps += [_req("recently_viewed", u) for u in users]
    logic = _shop_logic(first, rng.sample(PRODUCTS, 4))
    return Scenario(
        [Phase(1, "round-robin", logic, label=LOGIC), Phase(processes, "random", steps)],
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


q3 = AppExercise(
    notebook=NOTEBOOK,
    name="q3",
    hints=[_hint("q3", 1), _hint("q3", 2), _hint("q3", 3)],
    solution_cell="shop_app",
    app_file="shop.py",
    plans={"shop_round_robin": shop_round_robin_plan, "shop_random_scaling": shop_random_plan},
    model=ShopModel,
    diagnose=shop_diagnose,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

__all__ = ["q1", "q2", "q3"]
