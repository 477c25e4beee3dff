# expect: bundles=2 fingerprints=0
# reason: build_not_repeatable
"""Names each bundle after the time of the build: a new name at every build, even with no change."""
import json
import time


def build(src, out):
    stamp = int(time.time() * 1_000_000)
    manifest = {}
    for logical, suffix in (("site.css", ".css"), ("site.js", ".js")):
        data = b"\n".join(path.read_bytes() for path in sorted(src.glob(f"*{suffix}")))
        name = f"site.{stamp}{suffix}"
        (out / name).write_bytes(data)
        manifest[logical] = name
    (out / "manifest.json").write_text(json.dumps(manifest))
