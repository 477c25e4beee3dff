"""What 05's browsers send, and what a correct app answers: the users, their requests and
:class:`SessionModel`."""

from __future__ import annotations

from ...steps import HttpRequest

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
