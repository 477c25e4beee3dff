"""The course map: the one list of notebooks that navigation is generated from.

The README's map, the map in 00-start-here and the "Next" cell that ends every notebook
are written from this list by ``python -m autograder.build`` (``make notebooks``), so a
notebook that is added shows up everywhere at once, and no page links to one that does
not exist yet. A notebook is *available* when its source folder exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "course" / "source"

MAP_BEGIN = "<!-- course-map: generated from autograder/course_map.py -->"
MAP_END = "<!-- end of course-map -->"
NEXT_CELL = "next"  # id of the generated last cell of every notebook
MAP_CELL = "course-map"  # id of the generated map cell in 00-start-here
PROGRESS_CELL = "progress"  # id of the generated cell before "next": the course progress
PROGRESS_CODE = (
    "# Your progress across the whole course, checked from your own files and answers.\n"
    "# (Parts you checked already are not run again until you change their file.)\n"
    "from autograder import progress\n"
    "\n"
    "progress()"
)


@dataclass(frozen=True)
class Notebook:
    slug: str  # NN-kebab-name: the source folder, the notebook file, the assignment
    title: str  # as its heading names it, after "NN · "
    teaches: str  # one line for the map
    lead: str  # how the previous notebook's "Next" cell introduces it

    @property
    def number(self) -> str:
        return self.slug[:2]

    @property
    def available(self) -> bool:
        return (SOURCE / self.slug / f"{self.slug}.ipynb").exists()


COURSE = (
    Notebook(
        "00-start-here",
        "Start here",
        "how the course works: the simulated platform, `check()`, `hint()`, `solution()`, "
        "Binder, grading",
        "how the course works.",
    ),
    Notebook(
        "01-one-process",
        "One process",
        "a script that counts in a global and in a file, and what a restart does to both",
        "a stateful script, what a restart does to it, and your first counter in Redis.",
    ),
    Notebook(
        "02-backing-services",
        "Backing services",
        "state in Redis, found through `REDIS_URL`; keys, hashes and modelling data",
        "more of Redis (keys, hashes, modelling data) and a shopping cart that survives anything.",
    ),
    Notebook(
        "03-scale-out",
        "Scale out",
        "many processes behind a load balancer, each with its own memory and disk; "
        "round-robin, random routing, scaling, rolling restarts",
        "many processes behind a load balancer, each with its own memory and its own disk, "
        "and apps that stay correct under round-robin and random routing with restarts.",
    ),
    Notebook(
        "04-atomicity",
        "Atomicity",
        "real lost updates between processes (and a paused process that shows the race "
        "every time), fixed with atomic commands, WATCH/MULTI with retry and Lua",
        "the processes share nothing, but they all share Redis. When two of them read, "
        "change and write the same key at the same moment, one change can be lost; 04 makes "
        "that race happen and fixes it.",
    ),
    Notebook(
        "05-sessions",
        "Sessions",
        "a Flask shop: why sticky sessions fail, signed cookies vs server-side sessions, a "
        "Redis session store with TTL, sliding expiry, safe login and logout",
        "why sticky sessions break the factor, and a login session store in Redis with a "
        "time to live.",
    ),
    Notebook(
        "06-scratch-disk",
        "Scratch disk",
        "the disk as scratch space for one request: a file host, streamed downloads with "
        "timeouts, private temp files cleaned up on error, a result stored all at once "
        "(a job killed half way leaves none)",
        "the local disk as a single-transaction cache: download, process, store the result "
        "in a backing service, clean up.",
    ),
    Notebook(
        "07-build-time-assets",
        "Build-time assets",
        "build, release, run: CSS and JS bundled once at build time under content-hash "
        "names with a manifest, a site that runs from a read-only release through a "
        "rolling deploy",
        "build, release, run: assets made at build time, and an app that runs from a "
        "read-only release.",
    ),
    Notebook(
        "08-workers",
        "Workers",
        "web and worker processes, a reliable queue, a worker killed mid-job losing nothing",
        "web and worker processes, a reliable queue in Redis, and a worker killed mid-job "
        "that loses nothing.",
    ),
    Notebook(
        "09-real-processes",
        "Real processes",
        "the same apps as real OS processes under a Procfile, gunicorn and `kill -9`",
        "the same apps as real OS processes under a Procfile, gunicorn and `kill -9`.",
    ),
)


def find(slug: str) -> Notebook:
    for notebook in COURSE:
        if notebook.slug == slug:
            return notebook
    raise KeyError(f"{slug} is not in the course map (autograder/course_map.py)")


def available() -> list[str]:
    return [n.slug for n in COURSE if n.available]


def map_table(*, links: bool = False) -> str:
    """The course map as a Markdown table; ``links`` links the available notebooks (for
    notebooks, which sit side by side in notebooks/)."""
    rows = ["| Notebook | What you learn | Status |", "|---|---|---|"]
    for n in COURSE:
        name = (
            f"[{n.number} · {n.title}]({n.slug}.ipynb)" if links and n.available else f"`{n.slug}`"
        )
        rows.append(f"| {name} | {n.teaches} | {'available' if n.available else 'coming'} |")
    return "\n".join(rows)


def next_section(slug: str) -> str:
    """The "Next" cell that ends notebook ``slug``: a link when the next notebook exists,
    else a plain sentence that says it is still being written."""
    index = [n.slug for n in COURSE].index(slug)
    if index + 1 == len(COURSE):
        return "## Next\n\nThis is the last notebook of the course. Well done."
    after = COURSE[index + 1]
    if after.available:
        return f"## Next\n\n**[{after.number} · {after.title}]({after.slug}.ipynb)**: {after.lead}"
    return (
        "## Next\n\nThis is the last notebook so far. Being written: "
        f"**{after.number} · {after.title}**, {after.lead} "
        "The course map in 00 · Start here shows what else is coming."
    )


def map_section() -> str:
    """The map cell of 00-start-here."""
    return "## The course map\n\n" + map_table(links=True)
