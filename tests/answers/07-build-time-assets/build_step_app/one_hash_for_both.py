# expect: bundles=2 fingerprints=0
# reason: not_fingerprinted
"""One hash of all the sources for both bundles: a CSS change renames the JS bundle too."""
import hashlib
import json


def build(src, out):
    everything = b"".join(path.read_bytes() for path in sorted(src.iterdir()))
    fingerprint = hashlib.sha256(everything).hexdigest()[:12]
    manifest = {}
    for logical, suffix in (("site.css", ".css"), ("site.js", ".js")):
        data = b"\n".join(path.read_bytes() for path in sorted(src.glob(f"*{suffix}")))
        name = f"site.{fingerprint}{suffix}"
        (out / name).write_bytes(data)
        manifest[logical] = name
    (out / "manifest.json").write_text(json.dumps(manifest))
