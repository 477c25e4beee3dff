# expect: serves_release=0 rolling_deploy=0
# reason: compiled_at_run_time
"""Bundles and fingerprints the sources when the process starts: every process redoes the build."""
import hashlib
import os
from pathlib import Path

from flask import Flask, Response

app = Flask(__name__, static_folder=None)
SOURCES = Path(os.environ["RELEASE_DIR"]) / "assets"
BUNDLES = {}
for suffix in (".css", ".js"):
    data = b"\n".join(p.read_bytes() for p in sorted(SOURCES.glob(f"*{suffix}")))
    if not data:
        raise FileNotFoundError(f"no {suffix} sources in {SOURCES}")
    BUNDLES[f"site.{hashlib.sha256(data).hexdigest()[:12]}{suffix}"] = data
NAMES = {("site" + Path(n).suffix): n for n in BUNDLES}


def asset_url(name):
    return "/static/" + NAMES[name]


@app.get("/")
def home():
    return (
        f'<html><head><link rel="stylesheet" href="{asset_url("site.css")}">'
        f'<script defer src="{asset_url("site.js")}"></script></head><body>Shop</body></html>'
    )


@app.get("/static/<path:name>")
def static_file(name):
    return Response(BUNDLES[name])
