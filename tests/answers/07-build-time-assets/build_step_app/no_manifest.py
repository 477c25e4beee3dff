# expect: bundles=0 fingerprints=0
# reason: wrong_bundle
"""Writes fingerprinted bundles but no manifest: the app cannot know their names."""
import hashlib


def build(src, out):
    for suffix in (".css", ".js"):
        data = b"\n".join(path.read_bytes() for path in sorted(src.glob(f"*{suffix}")))
        (out / f"site.{hashlib.sha256(data).hexdigest()[:12]}{suffix}").write_bytes(data)
