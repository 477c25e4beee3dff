# expect: login_is_safe=2 logout_ends_session=0
# reason: session_survives_logout
"""Logout only tells this browser to forget the cookie; the session stays valid in Redis."""
import json
import os
import secrets

import redis
from flask import Flask, jsonify, request

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
TTL = int(os.environ.get("SESSION_TTL", "1800"))
USERS = {"ana": "apple-pie", "bo": "blue-sky", "chen": "green-tea",
         "dara": "dark-mode", "eli": "early-bird", "femi": "fast-lane"}

app = Flask(__name__)

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
    end_session(request.cookies.get(COOKIE))  # never reuse an id the browser brought
    sid = new_session({"user": name})
    response = jsonify(user=name)
    response.set_cookie(COOKIE, sid, httponly=True, samesite="Lax")
    return response


@app.get("/me")
def me():
    session = load_session(request.cookies.get(COOKIE))
    if session is None:
        return jsonify(error="please log in"), 401
    return jsonify(user=session["user"])


@app.post("/logout")
def logout():
    response = jsonify(ok=True)
    response.delete_cookie(COOKIE, httponly=True, samesite="Lax")
    return response
