# expect: replicas=0 survives_chaos=0 fresh_deployment=0
# reason: wrong_name
"""In Redis, but without decode_responses: str() of the bytes answers "b'Pinkman'"."""
import os

import redis
from flask import Flask, request

app = Flask(__name__)
r = redis.Redis.from_url(os.environ["REDIS_URL"])


@app.get("/saymyname")
def saymyname():
    r.hset("names", request.args["user"], request.args["name"])
    return "ok"


@app.get("/whoami")
def whoami():
    return str(r.hget("names", request.args["user"]))
