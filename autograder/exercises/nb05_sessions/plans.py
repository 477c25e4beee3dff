"""The plans of 05: a logic phase on one process, then several processes behind a random
router with restarts and kills."""

from __future__ import annotations

import random

from ...plans import disruption, harsh
from ...steps import Action, Phase, Scenario
from .attacks import (
    cookie_flags,
    forget_cookie,
    logged_out,
    new_id_on_login,
    not_fixated,
    plant_cookie,
    remember_cookie,
)
from .expiry import cookie_kept, expire, shorten, time_passes, ttl_refreshed, ttl_set
from .model import ITEMS, USERS, add, get, login, post
from .session_keys import after_login

SAFE_TTL = 60  # SESSION_TTL while login_is_safe runs
ACTIVE_GAP = 40  # seconds between the requests of an active user (under SAFE_TTL)


# -- q1: the session store ------------------------------------------------------------------
def _shopping(rng: random.Random, users: list[str], rounds: int, processes: int) -> list:
    steps: list = []
    for _round in range(rounds):
        for _step in range(rng.randint(3, 6)):
            user = rng.choice(users)
            kind = rng.choices(["add", "cart"], [3, 2])[0]
            if kind == "add":
                steps.append(add(user, rng.choice(ITEMS), rng.randint(1, 3)))
            else:
                steps.append(get(user, "/cart"))
        steps.append(disruption(rng, processes, grow_by=1))
    return steps


def store_shared_plan(seed: int) -> Scenario:
    """Sessions in Redis: log in, shop, log out on one process, then under random routing."""
    rng = random.Random(seed)
    first, *users = rng.sample(USERS, 5)
    a, b = rng.sample(ITEMS, 2)
    logic = [
        get(first, "/cart"),
        login(first, "wrong-password"),
        get(first, "/cart"),
        login(first),
        after_login(first),
        get(first, "/cart"),
        add(first, a, 2),
        add(first, b),
        add(first, a),
        get(first, "/cart"),
        remember_cookie(first),
        post(first, "/logout"),
        logged_out(first),
        get(first, "/cart"),
        login(first),
        after_login(first),
        get(first, "/cart"),
    ]
    processes = 4 if harsh(seed) else 3
    steps: list = []
    for user in users:
        steps += [login(user), after_login(user), add(user, rng.choice(ITEMS))]
    steps += [get(user, "/cart") for user in users]
    steps += _shopping(rng, users, 5 if harsh(seed) else 3, processes)
    leaver = users[0]
    steps += [remember_cookie(leaver), post(leaver, "/logout"), logged_out(leaver)]
    steps += [get(user, "/cart") for user in users]
    steps += [login(leaver), after_login(leaver), get(leaver, "/cart")]
    steps += _shopping(rng, users, 2, processes)
    steps += [get(user, "/cart") for user in users]
    return Scenario(
        [Phase(1, "round-robin", logic), Phase(processes, "random", steps)],
        seed=seed,
        stores_state=False,
    )


def store_expiry_plan(seed: int) -> Scenario:
    """TTL on every write, sliding expiry on use, and a session that runs out logs out."""
    rng = random.Random(seed)
    user, other = rng.sample(USERS, 2)
    a, b = rng.sample(ITEMS, 2)
    env_ttl = rng.choice([40, 90, 300]) if harsh(seed) else 60
    steps = [
        login(user),
        after_login(user),
        ttl_set(user, env_ttl),
        add(user, a),
        ttl_set(user, env_ttl),  # a write must not drop the TTL (SET without EX does)
        shorten(user),
        get(user, "/cart"),
        ttl_refreshed(user, env_ttl),  # reading the session slides its expiry
        shorten(user),
        add(user, b, 2),
        ttl_refreshed(user, env_ttl),
        login(other),
        after_login(other),
        add(other, a),
        Action("restart"),
        shorten(user),
        get(user, "/cart"),
        ttl_refreshed(user, env_ttl),
        expire(user),
        get(user, "/cart"),
        add(user, a),
        get(other, "/cart"),
        login(user),
        after_login(user),
        ttl_set(user, env_ttl),
        get(user, "/cart"),
    ]
    if harsh(seed):
        steps += [Action("kill", 0), shorten(other), add(other, b)]
        steps += [ttl_refreshed(other, env_ttl), expire(other), get(other, "/cart")]
        steps += [get(user, "/cart"), ttl_refreshed(user, env_ttl)]
    processes = 3 if harsh(seed) else 2
    return Scenario(
        [Phase(processes, "random", steps, env={"SESSION_TTL": str(env_ttl)})],
        seed=seed,
        stores_state=False,
    )


# -- q2: logging in and out safely -----------------------------------------------------------
def login_safe_plan(seed: int) -> Scenario:
    """Fresh unguessable ids at every login, never the planted one; HttpOnly + SameSite."""
    rng = random.Random(seed)
    first, *users = rng.sample(USERS, 4)
    logic = [
        get(first, "/me"),
        login(first, "not-my-password"),
        get(first, "/me"),
        login(first),
        after_login(first),
        cookie_flags(first),
        get(first, "/me"),
        forget_cookie(first),  # the same user on another browser: a repeated id is no accident
        get(first, "/me"),
        login(first),
        after_login(first),
        get(first, "/me"),
        login(first),  # and again, while the browser holds its session cookie
        after_login(first),
        new_id_on_login(first),
        get(first, "/me"),
        plant_cookie(first),
        get(first, "/me"),
        login(first),
        after_login(first),
        not_fixated(first),
        get(first, "/me"),
    ]
    # An active user stays logged in: a request every two thirds of SESSION_TTL keeps the
    # session alive in Redis, so the cookie must live on too (no Max-Age fixed at login).
    logic += [time_passes(ACTIVE_GAP), cookie_kept(first), get(first, "/me")]
    logic += [time_passes(ACTIVE_GAP), cookie_kept(first), get(first, "/me")]
    processes = 4 if harsh(seed) else 3
    steps: list = []
    for _round in range(3 if harsh(seed) else 2):
        for user in users:
            steps += [login(user), after_login(user), get(user, "/me")]
        steps.append(disruption(rng, processes, grow_by=1))
        steps += [get(user, "/me") for user in users]
    victim = users[-1]
    steps += [plant_cookie(victim), login(victim), after_login(victim), not_fixated(victim)]
    steps += [get(victim, "/me")] + [get(user, "/me") for user in users]
    env = {"SESSION_TTL": str(SAFE_TTL)}
    return Scenario(
        [
            Phase(1, "round-robin", logic, env=env),
            Phase(processes, "random", steps, env=env),
        ],
        seed=seed,
        stores_state=False,
    )


def logout_plan(seed: int) -> Scenario:
    """Logout deletes the session in Redis; a copy of the old cookie no longer works."""
    rng = random.Random(seed)
    first, *users = rng.sample(USERS, 4)
    logic = [
        login(first),
        after_login(first),
        get(first, "/me"),
        remember_cookie(first),
        post(first, "/logout"),
        logged_out(first),
        get(first, "/me"),
        forget_cookie(first),
        post(first, "/logout"),  # logging out twice is fine
        get(first, "/me"),
    ]
    processes = 4 if harsh(seed) else 3
    steps: list = []
    for user in users:
        steps += [login(user), after_login(user)]
    steps.append(disruption(rng, processes, grow_by=1))
    for user in rng.sample(users, len(users)):
        steps += [get(user, "/me"), remember_cookie(user), post(user, "/logout")]
        steps += [logged_out(user), get(user, "/me"), forget_cookie(user)]
        steps += [get(u, "/me") for u in users if u != user]
        steps += [login(user), after_login(user), get(user, "/me")]
        if harsh(seed):
            steps.append(disruption(rng, processes, grow_by=1))
    return Scenario(
        [Phase(1, "round-robin", logic), Phase(processes, "random", steps)],
        seed=seed,
        stores_state=False,
    )
