"""05-sessions: server-side sessions in Redis with a TTL, and logging in and out safely.

Both apps are Flask apps driven over HTTP by simulated browsers (one cookie jar per user,
outside the processes). Every part opens with a short *logic* phase on one process, so a
mistake in the session code itself is reported before any routing or restart. Then the app
runs as several processes behind a random router with restarts and kills: a session that
lives in one process's memory is lost there, whatever the learner's intentions.

Expiry is checked without waiting: :class:`Inspect` steps read the session key's TTL in
Redis, shorten it with PEXPIRE to see that a request slides it back up, and finally let it
run out to see that the user is logged out. The session key is found generically (the one
key whose name contains the session cookie's value), so learners may name keys as they like.
"""

from __future__ import annotations

import random
import re
import time

from ..messages import _
from ..plans import disruption, harsh
from ..problem import AppExercise
from ..registry import bind_exercises
from ..scenario import Action, Finding, HttpRequest, Inspect, Phase, Scenario

# The users the apps know (the notebook's apps hold the same table).
PASSWORDS = {
    "ana": "apple-pie",
    "bo": "blue-sky",
    "chen": "green-tea",
    "dara": "dark-mode",
    "eli": "early-bird",
    "femi": "fast-lane",
}
USERS = list(PASSWORDS)
ITEMS = ["apple", "bread", "cheese", "dates", "eggs", "figs"]
VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2, 3)
SAFE_TTL = 60  # SESSION_TTL while login_is_safe runs
ACTIVE_GAP = 40  # seconds between the requests of an active user (under SAFE_TTL)

# Reason codes of this notebook (messages: reason.<code> and next.<code> in nb05.py).
SESSION_NOT_IN_REDIS = "session_not_in_redis"
SESSION_NOT_EXPIRING = "session_not_expiring"
TTL_IGNORES_ENV = "ttl_ignores_env"
TTL_NOT_REFRESHED = "ttl_not_refreshed"
PREDICTABLE_SESSION_ID = "predictable_session_id"
SESSION_FIXATION = "session_fixation"
SESSION_SURVIVES_LOGOUT = "session_survives_logout"
COOKIE_FLAGS = "cookie_flags"
COOKIE_DIES_BEFORE_SESSION = "cookie_dies_before_session"
NO_SESSION_COOKIE = "no_session_cookie"

MIN_ID_LENGTH = 16


# -- requests -----------------------------------------------------------------------------
def login(user: str, password: str | None = None) -> HttpRequest:
    form = {"username": user, "password": PASSWORDS[user] if password is None else password}
    return HttpRequest("POST", "/login", user, form)


def get(user: str, path: str) -> HttpRequest:
    return HttpRequest("GET", path, user)


def post(user: str, path: str, form: dict | None = None) -> HttpRequest:
    return HttpRequest("POST", path, user, form)


def add(user: str, item: str, qty: int = 1) -> HttpRequest:
    return post(user, "/cart/add", {"item": item, "qty": str(qty)})


# -- models -------------------------------------------------------------------------------
class SessionModel:
    """A correct app in one process: who is logged in on which browser, and their cart.

    Answers are (status, json); json None means "the body is not checked"."""

    def __init__(self):
        self.logged_in: dict[str, str] = {}  # browser -> username
        self.carts: dict[str, dict[str, int]] = {}

    def end(self, browser: str) -> None:
        """The session of ``browser`` ended outside a request (expired, or replaced)."""
        self.logged_in.pop(browser, None)
        self.carts.pop(browser, None)

    def http(self, user, method, path, form=None):
        form = form or {}
        if (method, path) == ("POST", "/login"):
            name = form.get("username", "")
            if PASSWORDS.get(name) != form.get("password"):
                return (401, None)
            self.logged_in[user] = name
            self.carts[user] = {}
            return (200, {"user": name})
        if (method, path) == ("POST", "/logout"):
            self.end(user)
            return (200, None)
        if user not in self.logged_in:
            return (401, None)
        if (method, path) == ("GET", "/me"):
            return (200, {"user": self.logged_in[user]})
        if (method, path) == ("GET", "/cart"):
            return (200, {"user": self.logged_in[user], "cart": dict(self.carts[user])})
        if (method, path) == ("POST", "/cart/add"):
            cart = self.carts[user]
            cart[form["item"]] = cart.get(form["item"], 0) + int(form.get("qty", 1))
            return (200, {"cart": dict(cart)})
        return (404, None)


def compare(saw, expected) -> bool:
    status, body = expected
    if getattr(saw, "status", None) != status:
        return False
    return body is None or saw.json == body


# -- what the checks look at in Redis -------------------------------------------------------
class Sessions:
    """What the checks learned during one scenario: each browser's session cookie."""

    def __init__(self):
        self.cookie_name: str | None = None
        self.ids: list[tuple[str, str]] = []  # (user, id) of every login, in order
        self.held: dict[str, str] = {}  # user -> the session id their browser sent last
        self.planted: tuple[str, str] | None = None
        self.kept: dict[str, bool] = {}  # user -> their last login kept the id sent
        self.stolen: tuple[str, str | None] | None = None


def _state(ctx) -> Sessions:
    found = getattr(ctx.model, "_sessions", None)
    if found is None:
        found = ctx.model._sessions = Sessions()
    return found


def _session_id(ctx, user: str) -> str | None:
    name = _state(ctx).cookie_name
    return ctx.cluster.browser(user).cookies.get(name) if name else None


def _keys_with(ctx, sid: str) -> list[str]:
    return [key for key in ctx.redis.scan_iter(count=1000) if sid in key]


def _session_keys(ctx, user: str) -> tuple[list[str], Finding | None]:
    """Every key of the user's session: each key whose name contains the session id (a
    session may keep its cart in a hash beside it; all of them must expire together)."""
    sid = _session_id(ctx, user)
    if not sid:
        return [], Finding(
            NO_SESSION_COOKIE,
            _("reason.no_session_cookie", user=user),
            expected=_("expected.session_cookie"),
            saw=repr(ctx.cluster.browser(user).cookies),
            seen_in="browser",
        )
    keys = sorted(_keys_with(ctx, sid))
    if not keys:
        return [], Finding(
            SESSION_NOT_IN_REDIS,
            _("reason.session_not_in_redis", user=user, sid=sid),
            expected=_("expected.session_key", sid=sid),
            saw=repr(sorted(ctx.redis.scan_iter(count=1000))[:8]),
        )
    return keys, None


def after_login(user: str) -> Inspect:
    """Right after a successful login: learn the session cookie, check its id and key."""

    def check(ctx):
        response = ctx.last.value
        sessions = _state(ctx)
        cookies = [c for c in response.cookies_set if not c.deleted]
        browser = ctx.cluster.browser(user)
        # The session cookie: the one whose value names a key in Redis (generic names).
        chosen = next((c for c in cookies if c.value and _keys_with(ctx, c.value)), None)
        if chosen is None:
            if not cookies:
                return Finding(
                    NO_SESSION_COOKIE,
                    _("reason.no_session_cookie", user=user),
                    expected=_("expected.session_cookie"),
                    saw=repr(browser.cookies),
                    seen_in="browser",
                )
            return Finding(
                SESSION_NOT_IN_REDIS,
                _("reason.session_not_in_redis", user=user, sid=cookies[-1].value),
                expected=_("expected.session_key", sid=cookies[-1].value),
                saw=repr(sorted(ctx.redis.scan_iter(count=1000))[:8]),
            )
        sessions.cookie_name = chosen.name
        sent = sessions.held.get(user)
        sessions.held[user] = chosen.value
        sessions.kept[user] = chosen.value == sent
        if chosen.value == sent:
            return None  # the id the browser sent, kept: new_id_on_login says why it is wrong
        sessions.ids.append((user, chosen.value))
        return _predictable(sessions.ids)

    return Inspect(check)


def _predictable(ids: list[tuple[str, str]]) -> Finding | None:
    """Ids must be long, random-looking, and never repeat or derive from user or clock."""
    user, sid = ids[-1]
    problem = None
    if len(sid) < MIN_ID_LENGTH:
        problem = _("predictable.short", length=len(sid), minimum=MIN_ID_LENGTH)
    elif re.fullmatch(r"[0-9.:-]+", sid):
        problem = _("predictable.digits")
    elif _names_user(ids):
        problem = _("predictable.username", user=user)
    elif _uuid1_pair(ids):
        problem = _("predictable.uuid1")
    else:
        for _other_user, other in ids[:-1]:
            if other == sid:
                problem = _("predictable.repeated")
                break
            if _common_prefix(other, sid) > len(sid) // 2:
                problem = _("predictable.similar", other=other)
                break
    if problem is None:
        return None
    return Finding(
        PREDICTABLE_SESSION_ID,
        _("reason.predictable_session_id", sid=sid, problem=problem),
        expected=_("expected.random_id"),
        saw=", ".join(s for _u, s in ids[-3:]),
    )


def _names_user(ids: list[tuple[str, str]]) -> bool:
    """The id contains the user name, and so did the id of another user's last login.

    One id may contain a short name like "bo" by chance; two in a row do not."""
    user, sid = ids[-1]
    if user.lower() not in sid.lower():
        return False
    others = [(u, s) for u, s in ids[:-1] if u != user]
    return bool(others) and others[-1][0].lower() in others[-1][1].lower()


def _uuid1_pair(ids: list[tuple[str, str]]) -> bool:
    """This id and the one before are uuid1s of one machine (version 1, same node).

    A random hex id looks like a uuid1 by chance one time in 16; two of the same node, never.
    """
    if len(ids) < 2:
        return False
    a, b = (ids[-2][1].replace("-", "").lower(), ids[-1][1].replace("-", "").lower())
    if not all(re.fullmatch(r"[0-9a-f]{32}", x) for x in (a, b)):
        return False
    return a[12] == b[12] == "1" and a[20:] == b[20:]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def ttl_set(user: str, env_ttl: int) -> Inspect:
    """After a write: the session key expires, within SESSION_TTL seconds."""

    def check(ctx):
        keys, problem = _session_keys(ctx, user)
        if problem:
            return problem
        for key in keys:
            problem = _ttl_problem(ctx, key, env_ttl)
            if problem:
                return problem
        return None

    return Inspect(check)


def _ttl_problem(ctx, key: str, env_ttl: int) -> Finding | None:
    """The key expires, within SESSION_TTL seconds."""
    ttl = ctx.redis.ttl(key)
    if ttl < 0:
        return Finding(
            SESSION_NOT_EXPIRING,
            _("reason.session_not_expiring", skey=key, request=ctx.last.handler),
            expected=_("expected.ttl", ttl=env_ttl),
            saw=f"TTL {key} = {ttl}",
        )
    if ttl > env_ttl:
        return Finding(
            TTL_IGNORES_ENV,
            _("reason.ttl_ignores_env", skey=key, ttl=ttl, env_ttl=env_ttl),
            expected=_("expected.ttl", ttl=env_ttl),
            saw=f"TTL {key} = {ttl}",
        )
    return None


def shorten(user: str, ms: int = 3000) -> Inspect:
    """Make time pass for one session without waiting: only ``ms`` milliseconds are left."""

    def check(ctx):
        keys, problem = _session_keys(ctx, user)
        if problem:
            return problem
        for key in keys:
            if ctx.redis.pttl(key) < 0:
                return Finding(
                    SESSION_NOT_EXPIRING,
                    _("reason.session_not_expiring", skey=key, request=ctx.last.handler),
                    expected=_("expected.some_ttl"),
                    saw=f"TTL {key} = {ctx.redis.ttl(key)}",
                )
        for key in keys:
            ctx.redis.pexpire(key, ms)
        return None

    return Inspect(check)


def ttl_refreshed(user: str, env_ttl: int, ms: int = 3000) -> Inspect:
    """After a request that used the session, its TTL is back near SESSION_TTL."""

    def check(ctx):
        keys, problem = _session_keys(ctx, user)
        if problem:
            return problem
        for key in keys:
            problem = _refresh_problem(ctx, key, env_ttl, ms)
            if problem:
                return problem
        return None

    return Inspect(check)


def _refresh_problem(ctx, key: str, env_ttl: int, ms: int) -> Finding | None:
    pttl = ctx.redis.pttl(key)
    if pttl < 0:
        return Finding(
            SESSION_NOT_EXPIRING,
            _("reason.session_not_expiring", skey=key, request=ctx.last.handler),
            expected=_("expected.ttl", ttl=env_ttl),
            saw=f"TTL {key} = {ctx.redis.ttl(key)}",
        )
    if pttl <= ms:
        return Finding(
            TTL_NOT_REFRESHED,
            _("reason.ttl_not_refreshed", skey=key, request=ctx.last.handler, left=ms / 1000),
            expected=_("expected.ttl_renewed", ttl=env_ttl),
            saw=_("saw.ttl_seconds", skey=key, seconds=pttl / 1000),
        )
    if pttl > env_ttl * 1000:
        return Finding(
            TTL_IGNORES_ENV,
            _("reason.ttl_ignores_env", skey=key, ttl=pttl // 1000, env_ttl=env_ttl),
            expected=_("expected.ttl", ttl=env_ttl),
            saw=_("saw.ttl_seconds", skey=key, seconds=pttl / 1000),
        )
    return None


def expire(user: str) -> Inspect:
    """Let the session run out now; from here on the user is logged out."""

    def check(ctx):
        keys, problem = _session_keys(ctx, user)
        if problem:
            return problem
        for key in keys:
            ctx.redis.pexpire(key, 1)
        time.sleep(0.01)
        ctx.redis.exists(*keys)  # a read makes every Redis drop an expired key at once
        ctx.model.end(user)
        return None

    return Inspect(check)


def plant_cookie(user: str) -> Inspect:
    """An attacker sets a session id of their choosing in the user's browser (fixation)."""

    def check(ctx):
        sessions = _state(ctx)
        chosen = f"planted-{user}-by-mallory-{ctx.cluster.requests:04d}"
        ctx.cluster.browser(user).cookies[sessions.cookie_name or "session"] = chosen
        sessions.planted = (user, chosen)
        sessions.held[user] = chosen
        ctx.model.end(user)
        return None

    return Inspect(check)


def not_fixated(user: str) -> Inspect:
    """After logging in with a planted cookie: a new id, and the planted one is not live."""

    def check(ctx):
        _planted_user, chosen = _state(ctx).planted
        sid = _session_id(ctx, user)
        if sid == chosen or _keys_with(ctx, chosen):
            return Finding(
                SESSION_FIXATION,
                _("reason.session_fixation", user=user, chosen=chosen),
                expected=_("expected.new_id"),
                saw=_("saw.fixated", sid=sid, keys=_keys_with(ctx, chosen)),
            )
        return None

    return Inspect(check)


def new_id_on_login(user: str) -> Inspect:
    """A second login from the same browser gets a new id (the old one is not reused)."""

    def check(ctx):
        sid = _session_id(ctx, user)
        if _state(ctx).kept.get(user):
            return Finding(
                SESSION_FIXATION,
                _("reason.session_fixation", user=user, chosen=sid),
                expected=_("expected.new_id"),
                saw=_("saw.same_id", sid=sid),
            )
        return None

    return Inspect(check)


def cookie_flags(user: str) -> Inspect:
    """The Set-Cookie of the login response carries HttpOnly and SameSite=Lax/Strict."""

    def check(ctx):
        cookie = ctx.last.value.cookie(_state(ctx).cookie_name or "")
        if cookie is None:
            return None  # after_login reports a missing cookie
        samesite = (cookie.samesite or "").title()
        if not cookie.httponly or samesite not in ("Lax", "Strict"):
            flags = [f for f, on in (("HttpOnly", cookie.httponly),) if on]
            if cookie.samesite:
                flags.append(f"SameSite={cookie.samesite}")
            return Finding(
                COOKIE_FLAGS,
                _("reason.cookie_flags", name=cookie.name),
                expected="HttpOnly; SameSite=Lax",
                saw="; ".join(flags) or _("saw.no_flags"),
                seen_in="response",
            )
        return None

    return Inspect(check)


def time_passes(seconds: int) -> Inspect:
    """Let ``seconds`` of simulated time pass for everyone, without waiting: every key with
    a lifetime in Redis loses that much of it, and every browser's clock moves on (a
    cookie whose Max-Age or Expires is over is dropped)."""

    def check(ctx):
        ms = seconds * 1000
        for key in list(ctx.redis.scan_iter(count=1000)):
            left = ctx.redis.pttl(key)
            if left > ms:
                ctx.redis.pexpire(key, left - ms)
            elif left >= 0:
                ctx.redis.delete(key)
        for browser in ctx.cluster.browsers.values():
            browser.advance(seconds)
        return None

    return Inspect(check)


def cookie_kept(user: str) -> Inspect:
    """While the user's session is alive in Redis, their browser still has its cookie.

    A cookie set once at login with Max-Age=TTL dies TTL seconds after the login however
    active the user is: sliding expiry in Redis then keeps a session nobody can reach."""

    def check(ctx):
        sessions = _state(ctx)
        sid = sessions.held.get(user)
        if not sid or _session_id(ctx, user) == sid:
            return None
        keys = _keys_with(ctx, sid)
        if not keys:
            return None  # the session ended in Redis too: nothing outlived anything
        browser = ctx.cluster.browser(user)
        return Finding(
            COOKIE_DIES_BEFORE_SESSION,
            _(
                "reason.cookie_dies_before_session",
                user=user,
                skey=keys[0],
                ttl=ctx.redis.ttl(keys[0]),
                age=round(browser.clock),
            ),
            expected=_("expected.cookie_lives"),
            saw=_("saw.cookie_gone", name=sessions.cookie_name, cookies=browser.cookies),
            seen_in="browser",
        )

    return Inspect(check)


def remember_cookie(user: str) -> Inspect:
    def check(ctx):
        _state(ctx).stolen = (user, _session_id(ctx, user))
        return None

    return Inspect(check)


def logged_out(user: str) -> Inspect:
    """After logout: no key holds the old id; then the old cookie is sent again."""

    def check(ctx):
        _who, sid = _state(ctx).stolen
        keys = _keys_with(ctx, sid) if sid else []
        if keys:
            return Finding(
                SESSION_SURVIVES_LOGOUT,
                _("reason.session_survives_logout", user=user, skey=keys[0]),
                expected=_("expected.key_deleted"),
                saw=_("saw.key_still_exists", skey=keys[0], ttl=ctx.redis.ttl(keys[0])),
            )
        # Replay: the copy of the cookie is put back in the browser; it must not log in.
        if sid:
            ctx.cluster.browser(user).cookies[_state(ctx).cookie_name] = sid
            _state(ctx).held[user] = sid
        return None

    return Inspect(check)


def forget_cookie(user: str) -> Inspect:
    """The user's browser forgets its session cookie (a new browser, or the replay is over)."""

    def check(ctx):
        sessions = _state(ctx)
        ctx.cluster.browser(user).cookies.pop(sessions.cookie_name or "", None)
        sessions.held.pop(user, None)
        ctx.model.end(user)
        return None

    return Inspect(check)


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


session_store_app = AppExercise(
    solution_cell="session_store_app",
    app_file="session_shop.py",
    plans={"sessions_shared": store_shared_plan, "sessions_expire": store_expiry_plan},
    model=SessionModel,
    compare=compare,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

account_app = AppExercise(
    solution_cell="account_app",
    app_file="account.py",
    plans={"login_is_safe": login_safe_plan, "logout_ends_session": logout_plan},
    model=SessionModel,
    compare=compare,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

bind_exercises(globals(), [session_store_app, account_app])
