# expect: serves_release=2 rolling_deploy=0
# reason: asset_missing
"""Keeps the manifest in Redis so that it is read from disk only once, by the first process."""
import json
import os
from pathlib import Path

import redis
from flask import Flask, send_from_directory

app = Flask(__name__, static_folder=None)
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
STATIC = Path(os.environ["RELEASE_DIR"]) / "static"


def asset_url(name):
    cached = r.get("asset-manifest")
    if cached is None:
        cached = (STATIC / "manifest.json").read_text()
        r.set("asset-manifest", cached)
    return "/static/" + json.loads(cached)[name]


@app.get("/")
def home():
    return (
        f'<html><head><link rel="stylesheet" href="{asset_url("site.css")}">'
        f'<script defer src="{asset_url("site.js")}"></script></head><body>Shop</body></html>'
    )


@app.get("/static/<path:name>")
def static_file(name):
    return send_from_directory(STATIC, name)
