# expect:
# reason: correct
"""Correct, with one string key per user (name:<user>) instead of a hash."""
import os

import redis
from flask import Flask, abort, request

app = Flask(__name__)
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


@app.get("/saymyname")
def saymyname():
    r.set(f"name:{request.args['user']}", request.args["name"])
    return "ok"


@app.get("/whoami")
def whoami():
    name = r.get(f"name:{request.args['user']}")
    if name is None:
        abort(404)
    return name
