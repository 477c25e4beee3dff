"""The grader's own runs of app checks, sealed like the kernel.

``VerifyChecks`` runs the checks of the test cells, on the app file the notebook wrote.
That runs the learner's app, so it gets the same view of the machine as the
kernel (:mod:`.seal`): the submission's folder read-only, a private /tmp, no gradebook,
no sources. One sealed process per notebook runs all of its checks one after another
(each still in its own fresh checker process, ``autograder.runner``) and prints the
results as one JSON line after a marker.

    python -m autograder.grading.sealed_check   # reads the jobs as JSON on stdin
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from . import seal

MARKER = "@@autograder-sealed-check@@"


def run_checks(jobs: list[dict], *, sealed: bool, timeout: float) -> list[dict | None]:
    """Result dicts for jobs ``{module, attribute, part, hidden, app, cell}``, in order;
    None: no answer, or skipped because an earlier job of the same ``cell`` failed."""
    if not jobs:
        return []
    argv = [sys.executable, "-m", "autograder.grading.sealed_check"]
    folders = sorted({str(Path(job["app"]).resolve().parent) for job in jobs})
    with tempfile.TemporaryDirectory(prefix="autograder-verify-") as scratch:
        env = dict(os.environ)
        if sealed:
            argv = seal.command(argv, readable=folders, writable=[Path(scratch)], cwd=scratch)
            env = seal.environment(env)
        try:
            run = subprocess.run(
                argv,
                input=json.dumps(jobs),
                capture_output=True,
                text=True,
                cwd=scratch,
                env=env,
                timeout=timeout,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            return [None] * len(jobs)
    # The last marker line counts: the learner's app ran (and was killed) before the
    # verifier printed its results.
    at = run.stdout.rfind(MARKER)
    if at < 0:
        return [None] * len(jobs)
    try:
        results = json.loads(run.stdout[at + len(MARKER) :].strip())
    except ValueError:
        return [None] * len(jobs)
    if not isinstance(results, list) or len(results) != len(jobs):
        return [None] * len(jobs)
    return results


def main() -> int:
    from importlib import import_module

    from autograder.problem import run_in_checker

    results, failed_cells = [], set()
    for job in json.loads(sys.stdin.read()):
        if job.get("cell") in failed_cells:
            # A test cell stops at its first failure, as check() does in a notebook: a
            # hanging answer costs its budget once, not once per level.
            results.append(None)
            continue
        exercise = getattr(import_module(job["module"]), job["attribute"])
        result = run_in_checker(exercise, job["part"], Path(job["app"]), hidden=job["hidden"])
        results.append(result.as_dict())
        if not result.passed and job.get("cell") is not None:
            failed_cells.add(job["cell"])
    sys.stdout.write("\n" + MARKER + json.dumps(results) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
