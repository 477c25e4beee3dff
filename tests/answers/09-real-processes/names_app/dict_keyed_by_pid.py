# expect: replicas=0 survives_chaos=0 fresh_deployment=0
# reason: name_not_shared
"""Names kept per process id, "so the workers do not step on each other": none sees the others'."""
import os

import redis
from flask import Flask, request

app = Flask(__name__)
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)

by_process = {}


@app.get("/saymyname")
def saymyname():
    mine = by_process.setdefault(os.getpid(), {})
    mine[request.args["user"]] = request.args["name"]
    return "ok"


@app.get("/whoami")
def whoami():
    return by_process.get(os.getpid(), {}).get(request.args["user"], "")
