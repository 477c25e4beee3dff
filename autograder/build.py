"""Regenerate the learner and solution notebooks from ``course/source``.

    python -m autograder.build           # write notebooks/NN-slug.ipynb and solutions/NN-slug.ipynb
    python -m autograder.build --check   # write nothing; exit 1 listing stale files

The learner version is nbgrader's own release (``nbgrader generate_assignment``), made
in a temporary copy of ``course/`` so the checkout never gets a gradebook.db or a
release/ folder. The solution version is the source with the solution markers and the
hidden tests removed, outputs cleared and nbgrader's metadata dropped: a plain notebook.
Both are written the same way every time, so a rerun is byte-identical.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
OUTPUTS = {"notebooks": "learner", "solutions": "solution"}

# nbgrader's default delimiters; like nbgrader, a line *containing* one is a marker.
SOLUTION_MARKERS = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"


def source_notebooks(course: Path = COURSE) -> dict[str, Path]:
    """``{"NN-slug": course/source/NN-slug/NN-slug.ipynb}``, in reading order."""
    found = {}
    for path in sorted(course.glob("source/*/*.ipynb")):
        if path.stem != path.parent.name:
            raise SystemExit(f"{path}: an assignment holds one notebook named like its folder")
        nb = nbformat.read(path, as_version=4)
        if (nb.nbformat, nb.nbformat_minor) < (4, 5) or not all("id" in c for c in nb.cells):
            # nbformat would invent random cell ids on write: the output would never be stable.
            raise SystemExit(f"{path}: needs nbformat 4.5 with cell ids (open and save it in Lab)")
        found[path.stem] = path
    return found


def dumps(nb: nbformat.NotebookNode) -> str:
    """nbformat's canonical JSON (sorted keys, one-space indent) with a final newline."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)  # Lab's per-cell timing
    nb.metadata.pop("widgets", None)  # saved widget state is output too
    return nbformat.writes(nb, version=4) + "\n"


def learner_versions(notebooks: dict[str, Path]) -> dict[str, str]:
    """Run nbgrader's release process on a temporary copy of the course: one assignment
    per key (``NN-slug``, or ``cs-NN-slug`` for a translation), released in one run."""
    if not notebooks:
        return {}
    with tempfile.TemporaryDirectory(prefix="autograder-build-") as tmp:
        course = Path(tmp, "course")
        for name, path in notebooks.items():
            (course / "source" / name).mkdir(parents=True)
            shutil.copy(path, course / "source" / name)
        shutil.copy(COURSE / "nbgrader_config.py", course)
        env = dict(
            os.environ,
            JUPYTER_CONFIG_DIR=str(Path(tmp, "jupyter")),  # no ~/.jupyter
            # nbgrader only logs a config that fails to load, then runs on its defaults
            TRAITLETS_APPLICATION_RAISE_CONFIG_FILE_ERROR="1",
            # the config may import this package, installed or not
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        # "*" is a glob over assignment folders: one nbgrader run releases them all.
        cmd = [sys.executable, "-m", "nbgrader", "generate_assignment", "*", "--force", "--no-db"]
        run = subprocess.run(cmd, cwd=course, env=env, capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(f"nbgrader generate_assignment failed:\n{run.stdout}{run.stderr}")
        return {
            name: dumps(nbformat.read(course / "release" / name / path.name, as_version=4))
            for name, path in notebooks.items()
        }


def solution_source(source: str) -> str:
    """Keep the solution, drop its marker lines and the hidden-test regions."""
    kept, hidden = [], False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            hidden = True
        elif HIDDEN_END in line:
            hidden = False
        elif not hidden and not any(marker in line for marker in SOLUTION_MARKERS):
            kept.append(line)
    return "\n".join(kept)


def solution_version(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.source = solution_source(cell.source)
        for key in ("nbgrader", "deletable", "editable"):
            cell.metadata.pop(key, None)
    nb.metadata.pop("celltoolbar", None)  # the "Create Assignment" toolbar
    return dumps(nb)


def navigation_updates(course: Path = COURSE, root: Path = ROOT) -> dict[Path, str]:
    """Source notebooks and README whose generated navigation (``course_map``) is out of
    date, with their new text: the "Next" cell ending each notebook, the map in 00 and
    the README's map."""
    from .translate import course_language

    with course_language("en"):  # whatever the builder's own COURSE_LANG says
        return _navigation_updates(course, root)


def _navigation_updates(course: Path, root: Path) -> dict[Path, str]:
    import json

    from . import course_map
    from .grading.demos import demo_metadata

    updates = {}
    for name, path in source_notebooks(course).items():
        raw = path.read_text(encoding="utf-8")
        nb = json.loads(raw)
        _set_cell(nb, course_map.NEXT_CELL, course_map.next_section(name), at=len(nb["cells"]))
        at = [c.get("id") for c in nb["cells"]].index(course_map.NEXT_CELL)
        _set_cell(nb, course_map.PROGRESS_CELL, course_map.progress_code(), at=at, kind="code")
        # A demonstration (autograder.grading.demos): at autograde, with no record of
        # visible checks, it would run this notebook's checks again in the kernel.
        _set_metadata(nb, course_map.PROGRESS_CELL, demo_metadata(course_map.PROGRESS_CELL))
        if name == course_map.COURSE[0].slug:
            _set_cell(nb, course_map.MAP_CELL, course_map.map_section(), at=1)
        text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
        if text != raw:
            updates[path] = text
    readme = root / "README.md"
    if readme.exists():
        raw = readme.read_text(encoding="utf-8")
        begin, end = course_map.MAP_BEGIN, course_map.MAP_END
        if begin in raw and end in raw:
            head, rest = raw.split(begin, 1)
            tail = rest.split(end, 1)[1]
            text = f"{head}{begin}\n{course_map.map_table()}\n{end}{tail}"
            if text != raw:
                updates[readme] = text
    return updates


def _set_metadata(nb: dict, cell_id: str, wanted: dict) -> None:
    """Give the cell ``cell_id`` these metadata keys (its other keys stay)."""
    cell = next(c for c in nb["cells"] if c.get("id") == cell_id)
    metadata = {**cell.get("metadata", {}), **wanted}
    cell["metadata"] = {key: metadata[key] for key in sorted(metadata)}


def _set_cell(nb: dict, cell_id: str, text: str, *, at: int, kind: str = "markdown") -> None:
    """Give the cell ``cell_id`` the text ``text``, adding it at ``at`` if missing."""
    lines = text.splitlines(keepends=True)
    for cell in nb["cells"]:
        if cell.get("id") == cell_id:
            cell["source"] = lines
            return
    cell = {"cell_type": kind, "id": cell_id, "metadata": {}, "source": lines}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    nb["cells"].insert(at, cell)


def expected_files(course: Path = COURSE, root: Path = ROOT) -> dict[Path, str]:
    """The English notebooks, and for each translation (autograder.translate) the same
    made from its translated sources in ``notebooks/<lang>/`` and ``solutions/<lang>/``."""
    from . import translate

    with tempfile.TemporaryDirectory(prefix="autograder-translate-") as tmp:
        editions = {"": source_notebooks(course)}
        for lang in translate.languages(course):
            editions[lang] = translate.translated_sources(course, lang, Path(tmp, lang))
        sources = {
            f"{lang}-{name}" if lang else name: path
            for lang, notebooks in editions.items()
            for name, path in notebooks.items()
        }
        released = learner_versions(sources)
        files = {}
        for lang, notebooks in editions.items():
            for name, path in notebooks.items():
                files[root / "notebooks" / lang / f"{name}.ipynb"] = released[
                    f"{lang}-{name}" if lang else name
                ]
                files[root / "solutions" / lang / f"{name}.ipynb"] = solution_version(path)
    return files


def stale_files(expected: dict[Path, str], root: Path = ROOT) -> list[Path]:
    """Files that differ from what the build makes, are missing, or have no source."""
    stale = [p for p, text in expected.items() if not p.exists() or p.read_bytes() != text.encode()]
    folders = {root / folder for folder in OUTPUTS} | {p.parent for p in expected}
    for folder in sorted(folders):
        stale += [p for p in sorted(folder.glob("*.ipynb")) if p not in expected]
    return sorted(stale)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.build", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1)")
    args = parser.parse_args(argv)

    from .translate import catalogue_updates, message_catalogue_updates

    # In order: navigation into the sources, the catalogues that follow the sources (and
    # the English messages), then the notebooks made from both.
    navigation = {}
    for what, updates in [
        ("navigation", navigation_updates),
        ("catalogue", lambda: catalogue_updates(COURSE) | message_catalogue_updates()),
    ]:
        found = updates()
        for path, text in found.items():
            if not args.check:
                path.write_bytes(text.encode())
            print(f"{'stale ' if args.check else ''}{what}: {path.relative_to(ROOT)}")
        navigation |= found
    expected = expected_files()
    stale = stale_files(expected)
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)}")
        if stale or navigation:
            print("run `make notebooks` (python -m autograder.build) and commit the result")
        return 1 if stale or navigation else 0
    for path in stale:
        if path in expected:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(expected[path].encode())  # "\n" line ends on every OS
            print(f"wrote {path.relative_to(ROOT)}")
        else:
            path.unlink()
            print(f"removed {path.relative_to(ROOT)} (no source)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
