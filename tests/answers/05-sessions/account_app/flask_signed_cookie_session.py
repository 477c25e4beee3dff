# expect: login_is_safe=0 logout_ends_session=0
# reason: session_not_in_redis
"""Flask's built-in session: the data lives in a signed cookie, nothing in Redis, and
logout cannot revoke a copy of the cookie."""
import json
import os
import secrets

import redis
from flask import Flask, jsonify, request, session

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
TTL = int(os.environ.get("SESSION_TTL", "1800"))
USERS = {"ana": "apple-pie", "bo": "blue-sky", "chen": "green-tea",
         "dara": "dark-mode", "eli": "early-bird", "femi": "fast-lane"}

app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY", "dev-secret-key")

COOKIE = "sid"


def key(sid):
    return f"session:{sid}"


def new_session(data):
    sid = secrets.token_urlsafe(32)
    r.set(key(sid), json.dumps(data), ex=TTL)
    return sid


def load_session(sid):
    """The session's data, or None; using a session renews its lifetime."""
    raw = r.getex(key(sid), ex=TTL) if sid else None
    return None if raw is None else json.loads(raw)


def end_session(sid):
    if sid:
        r.delete(key(sid))


@app.post("/login")
def login():
    name = request.form.get("username", "")
    if USERS.get(name) != request.form.get("password"):
        return jsonify(error="wrong user name or password"), 401
    session.clear()
    session["user"] = name
    return jsonify(user=name)


@app.get("/me")
def me():
    if "user" not in session:
        return jsonify(error="please log in"), 401
    return jsonify(user=session["user"])


@app.post("/logout")
def logout():
    session.clear()
    return jsonify(ok=True)
