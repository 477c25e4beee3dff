"""What the checks learn about a user's session: its cookie (the one whose value names a
key in Redis, whatever the learner called it), its keys, and whether its id is guessable."""

from __future__ import annotations

import re

from ...messages import _
from ...steps import Finding, Inspect
from .reasons import NO_SESSION_COOKIE, PREDICTABLE_SESSION_ID, SESSION_NOT_IN_REDIS

MIN_ID_LENGTH = 16


class Sessions:
    """What the checks learned during one scenario: each browser's session cookie."""

    def __init__(self):
        self.cookie_name: str | None = None
        self.ids: list[tuple[str, str]] = []  # (user, id) of every login, in order
        self.held: dict[str, str] = {}  # user -> the session id their browser sent last
        self.planted: tuple[str, str] | None = None
        self.kept: dict[str, bool] = {}  # user -> their last login kept the id sent
        self.stolen: tuple[str, str | None] | None = None


def sessions_of(ctx) -> Sessions:
    found = getattr(ctx.model, "_sessions", None)
    if found is None:
        found = ctx.model._sessions = Sessions()
    return found


def session_id(ctx, user: str) -> str | None:
    name = sessions_of(ctx).cookie_name
    return ctx.cluster.browser(user).cookies.get(name) if name else None


def keys_with(ctx, sid: str) -> list[str]:
    return [key for key in ctx.redis.scan_iter(count=1000) if sid in key]


def session_keys(ctx, user: str) -> tuple[list[str], Finding | None]:
    """Every key of the user's session: each key whose name contains the session id (a
    session may keep its cart in a hash beside it; all of them must expire together)."""
    sid = session_id(ctx, user)
    if not sid:
        return [], Finding(
            NO_SESSION_COOKIE,
            _("reason.no_session_cookie", user=user),
            expected=_("expected.session_cookie"),
            saw=repr(ctx.cluster.browser(user).cookies),
            seen_in="browser",
        )
    keys = sorted(keys_with(ctx, sid))
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
        sessions = sessions_of(ctx)
        cookies = [c for c in response.cookies_set if not c.deleted]
        browser = ctx.cluster.browser(user)
        # The session cookie: the one whose value names a key in Redis (generic names).
        chosen = next((c for c in cookies if c.value and keys_with(ctx, c.value)), None)
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
