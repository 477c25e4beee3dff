# expect: sessions_shared=2 sessions_expire=2
# reason: correct
# e2e: a correct answer that warns keeps its points (nbgrader scores any stderr as a failure)
"""A correct store that emits DeprecationWarnings (at import and in a view)."""
import json
import os
import secrets
import warnings

import redis
from flask import Flask, jsonify, request

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
TTL = int(os.environ.get("SESSION_TTL", "1800"))  # seconds a session lives unused
COOKIE = "session_id"
USERS = {"ana": "apple-pie", "bo": "blue-sky", "chen": "green-tea",
         "dara": "dark-mode", "eli": "early-bird", "femi": "fast-lane"}

app = Flask(__name__)
warnings.warn("this shop is deprecated", DeprecationWarning)


def new_session(data):
    """Store ``data`` as a new session; return its id."""
    sid = secrets.token_urlsafe(32)
    r.set(f"session:{sid}", json.dumps(data), ex=TTL)
    return sid


def load_session(sid):
    """The session's data (a dict), or None if there is no such session. Using a
    session renews its lifetime."""
    warnings.warn("load_session() is deprecated", DeprecationWarning)
    if not sid:
        return None
    raw = r.getex(f"session:{sid}", ex=TTL)
    return json.loads(raw) if raw is not None else None


def save_session(sid, data):
    """Replace the data of session ``sid``."""
    r.set(f"session:{sid}", json.dumps(data), ex=TTL)


def end_session(sid):
    """Delete session ``sid`` (logout)."""
    if sid:
        r.delete(f"session:{sid}")


@app.post("/login")
def login():
    name = request.form.get("username", "")
    if USERS.get(name) != request.form.get("password"):
        return jsonify(error="wrong user name or password"), 401
    sid = new_session({"user": name, "cart": {}})
    response = jsonify(user=name)
    response.set_cookie(COOKIE, sid)
    return response


@app.get("/cart")
def show_cart():
    session = load_session(request.cookies.get(COOKIE))
    if session is None:
        return jsonify(error="please log in"), 401
    return jsonify(user=session["user"], cart=session["cart"])


@app.post("/cart/add")
def add_to_cart():
    sid = request.cookies.get(COOKIE)
    session = load_session(sid)
    if session is None:
        return jsonify(error="please log in"), 401
    item = request.form["item"]
    cart = session["cart"]
    cart[item] = cart.get(item, 0) + int(request.form.get("qty", 1))
    save_session(sid, session)
    return jsonify(cart=cart)


@app.post("/logout")
def logout():
    end_session(request.cookies.get(COOKIE))
    response = jsonify(ok=True)
    response.delete_cookie(COOKIE)
    return response
