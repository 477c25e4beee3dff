"""How long each cell of a notebook's reference run takes, and what autograde skips.

    .venv/bin/python scripts/cell_times.py 09-real-processes      # one notebook
    .venv/bin/python scripts/cell_times.py                        # every notebook
    .venv/bin/python scripts/cell_times.py --min 0.5 --all 03-scale-out

Runs ``solutions/NN-slug.ipynb`` top to bottom in a fresh kernel, in a scratch folder (as
the tests run notebooks: this checkout's ``autograder``, no profile), and prints the
cells that took at least ``--min`` seconds (``--all``: every code cell), marking the ones
tagged ``demo``: autograde does not run those (docs/adding-a-notebook.md, "Demonstration
cells"), so their time is what each submission saves. Use it to decide which
demonstrations to tag; the numbers are one run on a shared machine, not a benchmark.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder.grading.demos import is_demo  # noqa: E402


def _seconds(cell) -> float:
    timing = cell.metadata.get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return 0.0
    parse = datetime.fromisoformat
    return (parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))).total_seconds()


def cell_times(name: str, timeout: int = 600) -> list[tuple[int, object, float]]:
    """``[(index, cell, seconds)]`` for every code cell of the reference run of ``name``."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(REPO / "solutions" / f"{name}.ipynb", as_version=4)
    with tempfile.TemporaryDirectory(prefix="cell-times-") as tmp:
        folder = Path(tmp, name)
        folder.mkdir()
        # The kernel inherits this process's environment: this checkout, no profile.
        os.environ["IPYTHONDIR"] = str(Path(tmp, "ipython"))
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(folder)}},
            record_timing=True,
        )
        client.execute()
    return [(i, c, _seconds(c)) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def report(name: str, times, minimum: float, show_all: bool) -> tuple[float, float]:
    total = sum(s for _i, _c, s in times)
    saved = sum(s for _i, c, s in times if is_demo(c))
    print(f"\n{name}: {total:.1f} s in code cells; demo cells (not run by autograde) {saved:.1f} s")
    for index, cell, seconds in times:
        if show_all or seconds >= minimum:
            mark = "demo" if is_demo(cell) else ""
            first = cell.source.strip().split("\n")[0][:60]
            print(f"  [{index:2}] {seconds:6.2f} s  {mark:4}  {cell.get('id', ''):28} {first}")
    return total, saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/cell_times.py", description=__doc__)
    parser.add_argument("names", nargs="*", help="NN-slug (default: every notebook)")
    parser.add_argument("--min", type=float, default=0.3, help="list cells from this many s")
    parser.add_argument("--all", action="store_true", help="list every code cell")
    args = parser.parse_args(argv)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO), os.environ.get("PYTHONPATH")])
    )
    os.environ.pop("COURSE_LANG", None)
    names = args.names or sorted(p.stem for p in (REPO / "solutions").glob("*.ipynb"))
    rows = []
    for name in names:
        total, saved = report(name, cell_times(name), args.min, args.all)
        rows.append((name, total, saved))
    print("\nnotebook                   code cells   demo cells (saved per submission)")
    for name, total, saved in rows:
        print(f"{name:26} {total:8.1f} s   {saved:8.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
