# expect: fresh_deployment=0
# reason: lost_in_fresh_deployment
"""A JSON file in the working directory: shared by the workers of one machine and it
survives kill -9, but a fresh deployment starts in a fresh folder."""
import json
import os

import redis
from flask import Flask, request

app = Flask(__name__)
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)

FILE = "names.json"


def load():
    try:
        with open(FILE) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


@app.get("/saymyname")
def saymyname():
    names = load()
    names[request.args["user"]] = request.args["name"]
    with open(FILE, "w") as f:
        json.dump(names, f)
    return "ok"


@app.get("/whoami")
def whoami():
    return load().get(request.args["user"], "")
