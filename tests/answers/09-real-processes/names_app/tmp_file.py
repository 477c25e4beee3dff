# expect: replicas=0 survives_chaos=0 fresh_deployment=0
# reason: refused_write
"""The names in /tmp, "which every process can see": on a real platform /tmp is private
to one machine and wiped on deploy; here the write is refused."""
import json
import os

import redis
from flask import Flask, request

app = Flask(__name__)
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)

FILE = "/tmp/course-names.json"


@app.get("/saymyname")
def saymyname():
    try:
        with open(FILE) as f:
            names = json.load(f)
    except FileNotFoundError:
        names = {}
    names[request.args["user"]] = request.args["name"]
    with open(FILE, "w") as f:
        json.dump(names, f)
    return "ok"


@app.get("/whoami")
def whoami():
    with open(FILE) as f:
        return json.load(f).get(request.args["user"], "")
