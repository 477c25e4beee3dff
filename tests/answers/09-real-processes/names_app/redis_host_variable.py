# expect: replicas=0 survives_chaos=0 fresh_deployment=0
# reason: app_crashed_at_start
"""Redis configured from REDIS_HOST, which this platform does not set: every worker fails to boot."""
import os

import redis
from flask import Flask, request

app = Flask(__name__)
r = redis.Redis(host=os.environ["REDIS_HOST"], decode_responses=True)


@app.get("/saymyname")
def saymyname():
    r.hset("names", request.args["user"], request.args["name"])
    return "ok"


@app.get("/whoami")
def whoami():
    return r.hget("names", request.args["user"]) or ""
