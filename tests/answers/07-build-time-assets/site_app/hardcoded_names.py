# expect: serves_release=0 rolling_deploy=0
# reason: asset_missing
"""The fingerprinted names copied from one build into the code: the next build's are different."""
from flask import Flask, send_from_directory
import os
from pathlib import Path

app = Flask(__name__, static_folder=None)
STATIC = Path(os.environ["RELEASE_DIR"]) / "static"


def asset_url(name):
    return {"site.css": "/static/site.3f2a9c1b7e4d.css", "site.js": "/static/site.9b8e7d6c5a4f.js"}[name]


@app.get("/")
def home():
    return (
        f'<html><head><link rel="stylesheet" href="{asset_url("site.css")}">'
        f'<script defer src="{asset_url("site.js")}"></script></head><body>Shop</body></html>'
    )


@app.get("/static/<path:name>")
def static_file(name):
    return send_from_directory(STATIC, name)
