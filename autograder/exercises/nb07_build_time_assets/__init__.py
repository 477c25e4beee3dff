"""07-build-time-assets: bundle and fingerprint assets at build time, look them up at run time.

q1 is a build step, ``build(src, out)``: bundle the CSS sources into one file and the JS
sources into another (sorted by name, joined with a newline), name each bundle after a
hash of its content, and write ``manifest.json`` mapping ``site.css``/``site.js`` to the
fingerprinted names. The check runs the learner's build in a child process (as the
platform's build stage does) on seeded sources, twice, and again after one source changed.

q2 is the run-time side: a Flask site whose pages link the bundles through the manifest of
the release it runs from (``RELEASE_DIR``). The check builds releases with the reference
build (so q2 does not depend on q1), runs three processes from the read-only release,
fetches every page and the assets it links from the process that served it, then deploys
a second release with changed assets as a rolling restart, checking every process between
the restarts. It also remembers every asset URL it fetched: one URL must always give the
same bytes, or a browser or CDN cache would serve a stale bundle. The release holds the app
and the build's output only (as a multi-stage image does), not the sources: an app that
bundles at run time finds nothing to bundle.

The package: ``sources`` (seeded sources, the reference build), ``build_check`` (q1),
``site_check`` (q2), ``common`` (reason codes, a Result); the exercises are declared here.
"""

from __future__ import annotations

from ...problem import AppExercise
from ...registry import bind_exercises
from .build_check import build_check
from .site_check import site_check
from .sources import COLOURS as COLOURS  # the notebook and its tests use these two
from .sources import write_sources as write_sources

VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2,)

build_step_app = AppExercise(
    engine=build_check,
    solution_cell="build_step_app",
    app_file="build_assets.py",
    plans={"bundles": None, "fingerprints": None},
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

site_app = AppExercise(
    engine=site_check,
    solution_cell="site_app",
    app_file="site.py",
    plans={"serves_release": None, "rolling_deploy": None},
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

bind_exercises(globals(), [build_step_app, site_app])
