"""Logging in and out safely: an attacker plants a session id, a copy of a cookie is kept
and replayed after logout, a second login must get a fresh id, and the session cookie's
flags."""

from __future__ import annotations

from ...messages import _
from ...steps import Finding, Inspect
from .reasons import COOKIE_FLAGS, SESSION_FIXATION, SESSION_SURVIVES_LOGOUT
from .session_keys import keys_with, session_id, sessions_of


def plant_cookie(user: str) -> Inspect:
    """An attacker sets a session id of their choosing in the user's browser (fixation)."""

    def check(ctx):
        sessions = sessions_of(ctx)
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
        _planted_user, chosen = sessions_of(ctx).planted
        sid = session_id(ctx, user)
        if sid == chosen or keys_with(ctx, chosen):
            return Finding(
                SESSION_FIXATION,
                _("reason.session_fixation", user=user, chosen=chosen),
                expected=_("expected.new_id"),
                saw=_("saw.fixated", sid=sid, keys=keys_with(ctx, chosen)),
            )
        return None

    return Inspect(check)


def new_id_on_login(user: str) -> Inspect:
    """A second login from the same browser gets a new id (the old one is not reused)."""

    def check(ctx):
        sid = session_id(ctx, user)
        if sessions_of(ctx).kept.get(user):
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
        cookie = ctx.last.value.cookie(sessions_of(ctx).cookie_name or "")
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


def remember_cookie(user: str) -> Inspect:
    def check(ctx):
        sessions_of(ctx).stolen = (user, session_id(ctx, user))
        return None

    return Inspect(check)


def logged_out(user: str) -> Inspect:
    """After logout: no key holds the old id; then the old cookie is sent again."""

    def check(ctx):
        _who, sid = sessions_of(ctx).stolen
        keys = keys_with(ctx, sid) if sid else []
        if keys:
            return Finding(
                SESSION_SURVIVES_LOGOUT,
                _("reason.session_survives_logout", user=user, skey=keys[0]),
                expected=_("expected.key_deleted"),
                saw=_("saw.key_still_exists", skey=keys[0], ttl=ctx.redis.ttl(keys[0])),
            )
        # Replay: the copy of the cookie is put back in the browser; it must not log in.
        if sid:
            ctx.cluster.browser(user).cookies[sessions_of(ctx).cookie_name] = sid
            sessions_of(ctx).held[user] = sid
        return None

    return Inspect(check)


def forget_cookie(user: str) -> Inspect:
    """The user's browser forgets its session cookie (a new browser, or the replay is over)."""

    def check(ctx):
        sessions = sessions_of(ctx)
        ctx.cluster.browser(user).cookies.pop(sessions.cookie_name or "", None)
        sessions.held.pop(user, None)
        ctx.model.end(user)
        return None

    return Inspect(check)
