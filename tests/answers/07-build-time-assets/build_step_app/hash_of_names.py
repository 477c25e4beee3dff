# expect: bundles=2 fingerprints=0
# reason: not_fingerprinted
"""Hashes the names of the sources, not their content: a changed file keeps its old name."""
import hashlib
import json


def build(src, out):
    manifest = {}
    for logical, suffix in (("site.css", ".css"), ("site.js", ".js")):
        sources = sorted(src.glob(f"*{suffix}"))
        data = b"\n".join(path.read_bytes() for path in sources)
        fingerprint = hashlib.sha256(" ".join(p.name for p in sources).encode()).hexdigest()[:12]
        name = f"site.{fingerprint}{suffix}"
        (out / name).write_bytes(data)
        manifest[logical] = name
    (out / "manifest.json").write_text(json.dumps(manifest))
