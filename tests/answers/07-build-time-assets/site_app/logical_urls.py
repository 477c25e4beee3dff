# expect: serves_release=2 rolling_deploy=0
# reason: url_reused
"""Links /assets/site.css and maps it through the manifest when served: one URL, new bytes."""
import json
import os
from pathlib import Path

from flask import Flask, send_from_directory

app = Flask(__name__, static_folder=None)
STATIC = Path(os.environ["RELEASE_DIR"]) / "static"
MANIFEST = json.loads((STATIC / "manifest.json").read_text())


def asset_url(name):
    return "/assets/" + name


@app.get("/")
def home():
    return (
        f'<html><head><link rel="stylesheet" href="{asset_url("site.css")}">'
        f'<script defer src="{asset_url("site.js")}"></script></head><body>Shop</body></html>'
    )


@app.get("/assets/<path:name>")
def asset(name):
    return send_from_directory(STATIC, MANIFEST[name])
