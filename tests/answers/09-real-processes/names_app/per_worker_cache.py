# expect: replicas=0 survives_chaos=0 fresh_deployment=0
# reason: stale_name
"""Redis behind a per-worker cache "to save a round trip": after a rename, the other
workers keep answering the old name."""
import os

import redis
from flask import Flask, request

app = Flask(__name__)
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)

cache = {}


@app.get("/saymyname")
def saymyname():
    user, name = request.args["user"], request.args["name"]
    r.hset("names", user, name)
    cache[user] = name
    return "ok"


@app.get("/whoami")
def whoami():
    user = request.args["user"]
    if user not in cache:
        cache[user] = r.hget("names", user) or ""
    return cache[user]
