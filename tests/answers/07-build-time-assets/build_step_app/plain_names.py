# expect: bundles=2 fingerprints=0
# reason: not_fingerprinted
"""Bundles into site.css and site.js: no fingerprint, so caches keep the old bundle."""
import json


def build(src, out):
    manifest = {}
    for logical, suffix in (("site.css", ".css"), ("site.js", ".js")):
        data = b"\n".join(path.read_bytes() for path in sorted(src.glob(f"*{suffix}")))
        (out / logical).write_bytes(data)
        manifest[logical] = logical
    (out / "manifest.json").write_text(json.dumps(manifest))
