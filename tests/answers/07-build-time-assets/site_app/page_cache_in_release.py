# expect: serves_release=0 rolling_deploy=0
# reason: write_outside_disk
"""Renders the home page once and saves it next to the bundles, to serve it from disk later."""
import json
import os
from pathlib import Path

from flask import Flask, send_from_directory

app = Flask(__name__, static_folder=None)
STATIC = Path(os.environ["RELEASE_DIR"]) / "static"
MANIFEST = json.loads((STATIC / "manifest.json").read_text())


def asset_url(name):
    return "/static/" + MANIFEST[name]


@app.get("/")
def home():
    cached = STATIC / "index.html"
    if not cached.exists():
        cached.write_text(
            f'<html><head><link rel="stylesheet" href="{asset_url("site.css")}">'
            f'<script defer src="{asset_url("site.js")}"></script></head><body>Shop</body></html>'
        )
    return cached.read_text()


@app.get("/static/<path:name>")
def static_file(name):
    return send_from_directory(STATIC, name)
