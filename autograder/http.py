"""HTTP requests to a WSGI app (Flask) running as simulated processes, from browsers.

A real browser lives outside the servers: it keeps its cookies whichever process answers,
and a load balancer in front picks the process. So each user here has one
:class:`Browser` (a cookie jar) owned by the cluster, and every request is a real WSGI
call into the app object of the process the router chose. Nothing about sessions is
faked: if the app keeps sessions in its memory, a request that lands on another process
finds nothing there.
"""

from __future__ import annotations

import json as jsonlib
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.cookies import CookieError, SimpleCookie

from .messages import _

WSGI_NAME = "app"  # the attribute of the app file that is the WSGI application


@dataclass
class SetCookie:
    """One Set-Cookie header, with the flags a session cookie should carry."""

    name: str
    value: str
    httponly: bool = False
    samesite: str | None = None
    secure: bool = False
    max_age: int | None = None
    expires: str | None = None
    path: str | None = None
    deleted: bool = False  # Max-Age=0 or an expiry in the past: the browser drops it

    def lifetime(self) -> float | None:
        """Seconds this cookie lives from now, or None for a cookie that lives as long as
        the browser. Max-Age wins over Expires (RFC 6265, 5.3); Expires is a date on the
        server's clock, so it is measured from now on the real clock."""
        if self.max_age is not None:
            return float(self.max_age)
        if self.expires:
            try:
                return parsedate_to_datetime(self.expires).timestamp() - time.time()
            except (TypeError, ValueError):
                return None
        return None


@dataclass
class HttpResponse:
    status: int
    body: str = ""
    json: object = None
    headers: dict[str, str] = field(default_factory=dict)
    cookies_set: list[SetCookie] = field(default_factory=list)

    def cookie(self, name: str) -> SetCookie | None:
        """The last Set-Cookie for ``name`` in this response, or None."""
        found = [c for c in self.cookies_set if c.name == name]
        return found[-1] if found else None

    def __repr__(self) -> str:
        shown = self.json if self.json is not None else _clip(self.body)
        # Shown in history lines and feedback ("what the user saw"), so in the course language.
        cookies = "".join(
            _(
                "platform.http.deletes_cookie" if c.deleted else "platform.http.sets_cookie",
                name=c.name,
            )
            for c in self.cookies_set
        )
        return _("platform.http.response", status=self.status, body=repr(shown), cookies=cookies)


@dataclass
class Browser:
    """What one user's browser remembers between requests: its cookies, and when each dies.

    Time is simulated: ``clock`` counts the seconds this browser has lived, and only
    :meth:`advance` moves it (a check makes an hour pass without waiting). A cookie set
    with ``Max-Age`` (or ``Expires``) is dropped once its lifetime is over, as a real
    browser does; a cookie without either lives until the browser is closed.
    """

    user: str
    cookies: dict[str, str] = field(default_factory=dict)
    clock: float = 0.0
    expires_at: dict[str, float] = field(default_factory=dict)  # name -> clock when it dies

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def receive(self, response: HttpResponse) -> None:
        for cookie in response.cookies_set:
            if cookie.deleted:
                self.cookies.pop(cookie.name, None)
                self.expires_at.pop(cookie.name, None)
                continue
            self.cookies[cookie.name] = cookie.value
            lifetime = cookie.lifetime()
            if lifetime is None:
                self.expires_at.pop(cookie.name, None)
            else:
                self.expires_at[cookie.name] = self.clock + lifetime

    def advance(self, seconds: float) -> list[str]:
        """Let ``seconds`` of simulated time pass; return the cookies that expired."""
        self.clock += seconds
        gone = [name for name, at in self.expires_at.items() if at <= self.clock]
        for name in gone:
            self.cookies.pop(name, None)
            del self.expires_at[name]
        return gone


def build_environ(method: str, path: str, browser: Browser, *, form=None, json=None, headers=None):
    """A WSGI environ for one request from ``browser`` (its cookies in a Cookie header)."""
    from werkzeug.test import EnvironBuilder  # only HTTP apps need werkzeug (Flask's)

    sent = dict(headers or {})
    if browser.cookies:
        sent["Cookie"] = browser.cookie_header()
    builder = EnvironBuilder(path=path, method=method.upper(), data=form, json=json, headers=sent)
    try:
        return builder.get_environ()
    finally:
        builder.close()


def call_wsgi(app, environ) -> HttpResponse:
    """Run the WSGI app on ``environ`` and read the whole response."""
    from werkzeug.test import run_wsgi_app

    app_iter, status, headers = run_wsgi_app(app, environ, buffered=True)
    try:
        body = b"".join(app_iter)
    finally:
        close = getattr(app_iter, "close", None)
        if close is not None:
            close()
    return parse_response(status, list(headers.items()), body)


def parse_response(status: str, header_items: list[tuple[str, str]], body: bytes) -> HttpResponse:
    text = body.decode("utf-8", errors="replace")
    parsed = None
    content_type = next((v for k, v in header_items if k.lower() == "content-type"), "")
    if "json" in content_type:
        try:
            parsed = jsonlib.loads(text)
        except ValueError:
            parsed = None
    cookies = [
        cookie
        for key, value in header_items
        if key.lower() == "set-cookie"
        for cookie in [parse_set_cookie(value)]
        if cookie is not None
    ]
    plain = {k: v for k, v in header_items if k.lower() != "set-cookie"}
    return HttpResponse(int(status.split()[0]), text, parsed, plain, cookies)


def parse_set_cookie(header: str) -> SetCookie | None:
    """Read one Set-Cookie header (name, value and the attributes we care about)."""
    jar = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return None
    if not jar:
        return None
    name, morsel = next(iter(jar.items()))
    max_age = None
    if morsel["max-age"] not in ("", None):
        try:
            max_age = int(morsel["max-age"])
        except ValueError:
            max_age = None
    expires = morsel["expires"] or None
    deleted = max_age is not None and max_age <= 0
    if expires and not deleted:
        try:
            deleted = parsedate_to_datetime(expires).timestamp() <= 0 or _in_past(expires)
        except (TypeError, ValueError):
            pass
    # SimpleCookie loses flags written in unusual case; read them from the header too.
    flags = {part.strip().lower() for part in header.split(";")[1:]}
    samesite = morsel["samesite"] or next(
        (f.split("=", 1)[1].strip().title() for f in flags if f.startswith("samesite=")), None
    )
    return SetCookie(
        name=name,
        value=morsel.value,
        httponly=bool(morsel["httponly"]) or "httponly" in flags,
        samesite=samesite.title() if samesite else None,
        secure=bool(morsel["secure"]) or "secure" in flags,
        max_age=max_age,
        expires=expires,
        path=morsel["path"] or None,
        deleted=deleted,
    )


def _in_past(expires: str) -> bool:
    return parsedate_to_datetime(expires).timestamp() < time.time()


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
