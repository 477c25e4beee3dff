"""Where the test time goes: a report printed at the end of every pytest run.

CI has 90 minutes on 2 cores and the suite must stay under 25, with each notebook
costing about two minutes at most. This plugin makes that budget visible in every log:
minutes per group (unit, catalogue, notebooks, end-to-end, hostile, browser, Binder) and
per notebook. It is a report, never a failing test: the machines are shared and noisy.

Times are the sums of each test's setup, call and teardown, as the worker that ran it
measured them; with pytest-xdist the wall time is shorter than the sum by up to the
number of workers, and both are printed.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict

# The group of a test file; any other file's tests are "unit", or "end-to-end" when
# marked slow (they drive the real nbgrader).
FILE_GROUPS = {
    "test_catalogue.py": "catalogue",
    "test_notebooks.py": "notebooks",
    "test_e2e_grading.py": "end-to-end",
    "test_class_grading.py": "end-to-end",
    "test_hostile.py": "hostile",
    "test_browser.py": "browser",
    "test_binder.py": "Binder",
}
GROUP_ORDER = ["unit", "catalogue", "notebooks", "end-to-end", "hostile", "browser", "Binder"]
NOTEBOOK = re.compile(r"\b(\d\d-[a-z]+(?:-[a-z]+)*)\b")

_seconds: dict[str, float] = defaultdict(float)
_by_notebook: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
_counts: dict[str, int] = defaultdict(int)
_started = time.monotonic()


def group_of(nodeid: str, keywords) -> str:
    filename = nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
    if filename in FILE_GROUPS:
        return FILE_GROUPS[filename]
    return "end-to-end" if "slow" in keywords else "unit"


def notebook_of(nodeid: str) -> str | None:
    """The notebook a test is about, from its parameters (``[03-scale-out/...]``)."""
    params = nodeid.partition("[")[2]
    match = NOTEBOOK.search(params)
    return match.group(1) if match else None


def pytest_runtest_logreport(report):
    group = group_of(report.nodeid, report.keywords)
    _seconds[group] += report.duration
    if report.when == "call":
        _counts[group] += 1
    notebook = notebook_of(report.nodeid)
    if notebook:
        _by_notebook[notebook][group] += report.duration


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:6.2f}"


def pytest_terminal_summary(terminalreporter):
    if not _seconds or hasattr(terminalreporter.config, "workerinput"):
        return  # nothing ran, or this is an xdist worker (the controller reports)
    write = terminalreporter.write_line
    wall = time.monotonic() - _started
    terminalreporter.section("time budget (minutes; a report, not a test)")
    write(f"{'group':<12} {'tests':>6} {'minutes':>8}")
    for group in GROUP_ORDER:
        if group in _seconds:
            write(f"{group:<12} {_counts[group]:>6} {_minutes(_seconds[group]):>8}")
    total = sum(_seconds.values())
    write(f"{'sum':<12} {sum(_counts.values()):>6} {_minutes(total):>8}")
    write(f"{'wall clock':<12} {'':>6} {_minutes(wall):>8}")
    if _by_notebook:
        groups = [g for g in GROUP_ORDER if any(g in row for row in _by_notebook.values())]
        write("")
        write(f"{'notebook':<22}" + "".join(f"{g:>12}" for g in groups) + f"{'total':>9}")
        for notebook in sorted(_by_notebook):
            row = _by_notebook[notebook]
            cells = "".join(f"{_minutes(row.get(g, 0.0)):>12}" for g in groups)
            write(f"{notebook:<22}{cells}{_minutes(sum(row.values())):>9}")
