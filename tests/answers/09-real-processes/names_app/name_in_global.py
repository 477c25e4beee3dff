# expect: replicas=0 survives_chaos=0 fresh_deployment=0
# reason: name_not_shared
"""The names in a global dict: each gunicorn worker has its own, and a kill -9 empties it."""
import os

import redis
from flask import Flask, request

app = Flask(__name__)
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)

names = {}


@app.get("/saymyname")
def saymyname():
    names[request.args["user"]] = request.args["name"]
    return "ok"


@app.get("/whoami")
def whoami():
    return names.get(request.args["user"], "")
