"""Expiry, checked without waiting: a session key's TTL is read, shortened with PEXPIRE to
see a request slide it back up, and let run out to see the user logged out; simulated
time passes for Redis and every browser alike."""

from __future__ import annotations

import time

from ...messages import _
from ...steps import Finding, Inspect
from .reasons import (
    COOKIE_DIES_BEFORE_SESSION,
    SESSION_NOT_EXPIRING,
    TTL_IGNORES_ENV,
    TTL_NOT_REFRESHED,
)
from .session_keys import keys_with, session_id, session_keys, sessions_of


def ttl_set(user: str, env_ttl: int) -> Inspect:
    """After a write: the session key expires, within SESSION_TTL seconds."""

    def check(ctx):
        keys, problem = session_keys(ctx, user)
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
        keys, problem = session_keys(ctx, user)
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
        keys, problem = session_keys(ctx, user)
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
        keys, problem = session_keys(ctx, user)
        if problem:
            return problem
        for key in keys:
            ctx.redis.pexpire(key, 1)
        time.sleep(0.01)
        ctx.redis.exists(*keys)  # a read makes every Redis drop an expired key at once
        ctx.model.end(user)
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
        sessions = sessions_of(ctx)
        sid = sessions.held.get(user)
        if not sid or session_id(ctx, user) == sid:
            return None
        keys = keys_with(ctx, sid)
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
