"""07's seeded asset sources, and the reference build q2's releases are made with."""

from __future__ import annotations

import random
from pathlib import Path

COLOURS = ["navy", "teal", "maroon", "olive", "purple", "black"]


def write_sources(folder: Path, seed: int, version: int = 1) -> Path:
    """Seeded CSS and JS sources (a new ``version`` changes one stylesheet)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    colour = COLOURS[(rng.randrange(len(COLOURS)) + version) % len(COLOURS)]
    sources = {
        "base.css": f"body {{ font-family: sans-serif; margin: {rng.randint(0, 3)}rem; }}\n",
        "theme.css": f"a {{ color: {colour}; }}\nh1 {{ color: {colour}; }}\n",
        "layout.css": f".shop {{ display: grid; gap: {rng.randint(1, 9)}px; }}\n",
        "cart.js": f"const CART_LIMIT = {rng.randint(5, 50)};\n",
        "menu.js": "document.querySelectorAll('nav a').forEach(a => a.classList.add('ok'));\n",
    }
    for name, text in sources.items():
        (folder / name).write_text(text)
    return folder


def bundle(src: Path, suffix: str) -> bytes:
    """The bundle the course defines: the sources ending in ``suffix``, sorted by name,
    joined with a newline."""
    return b"\n".join(p.read_bytes() for p in sorted(src.glob(f"*{suffix}")))


# The build q2's releases are made with (q1's reference does the same). It is run as a
# file in a child process, as the platform runs every build, so it imports nothing of ours.
REFERENCE_BUILD_FILE = """
import hashlib, json

def build(src, out):
    manifest = {}
    for logical, suffix in (("site.css", ".css"), ("site.js", ".js")):
        data = b"\\n".join(p.read_bytes() for p in sorted(src.glob("*" + suffix)))
        name = "site." + hashlib.sha256(data).hexdigest()[:12] + suffix
        (out / name).write_bytes(data)
        manifest[logical] = name
    (out / "manifest.json").write_text(json.dumps(manifest))
"""
