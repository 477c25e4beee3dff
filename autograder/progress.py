"""Progress across the course: every exercise's status, from the learner's own work.

``progress()`` looks at what is on disk in the notebooks folder (the working directory of
the notebook that calls it), not at anything a notebook claims:

- an app exercise: its app file (``shop.py``, ...) runs through the same visible check as
  ``q.check(part)``, part by part. A visible check records its outcome under the file's
  content hash, so a part that was just checked is not run again until the file changes;
- a prediction: its value is read from the saved notebook (``NN-slug.ipynb``), from the
  answer cell's ``name = <literal>``. In class mode (``AUTOGRADER_SOLUTIONS=off``) it shows
  "answered", never right or wrong: progress must not be the oracle ``check()`` refuses
  to be there.

Status words: not attempted, not yet, correct (and answered). Shown as HTML in JupyterLab
and as text anywhere else. Nothing here grades: the record is a convenience file.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from .messages import _
from .result import CORRECT, NOT_ATTEMPTED

RECORD = ".autograder-progress.json"  # outcomes of visible checks, by file content hash
ANSWERED = "answered"
NOT_YET = "not_yet"
_ICONS = {CORRECT: "✔", NOT_YET: "✘", NOT_ATTEMPTED: "…", ANSWERED: "✎"}
_WRITING = threading.Lock()  # progress() records from several threads at once
_COLOURS = {CORRECT: "#1b7f3b", NOT_YET: "#b3261e", NOT_ATTEMPTED: "#8a6d00", ANSWERED: "#3760a8"}


# -- the record of visible checks ---------------------------------------------------------
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _key(exercise, part: str, digest: str) -> str:
    return f"{exercise.notebook}/{exercise.name}/{part}/{digest}"


def _load(folder: Path) -> dict:
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(exercise, part: str, app: Path, outcome: str) -> None:
    """Remember the outcome of a visible check of ``app`` (called by ``evaluate``)."""
    with _WRITING:
        try:
            folder = app.parent
            data = _load(folder)
            data[_key(exercise, part, _digest(app))] = outcome
            text = json.dumps(data, indent=0, sort_keys=True)
            (folder / RECORD).write_text(text, encoding="utf-8")
        except OSError:
            pass  # a read-only folder: progress() runs the check itself


# -- statuses -----------------------------------------------------------------------------
@dataclass
class Row:
    notebook: str
    exercise: str  # q1, q2, ...
    title: str
    status: str
    parts: dict[str, str] = field(default_factory=dict)  # part -> status


def _outcome_status(outcome: str) -> str:
    return {CORRECT: CORRECT, NOT_ATTEMPTED: NOT_ATTEMPTED}.get(outcome, NOT_YET)


def _app_part(exercise, part: str, app: Path, known: dict) -> str:
    if not app.exists():
        return NOT_ATTEMPTED
    key = _key(exercise, part, _digest(app))
    if key not in known:
        from .problem import run_in_checker

        outcome = run_in_checker(exercise, part, app, hidden=False).outcome
        record(exercise, part, app, outcome)
        known[key] = outcome
    return _outcome_status(known[key])


def _prediction_status(exercise, folder: Path) -> str:
    from .answers import COMPUTED, UNSET, literal_assignment
    from .problem import class_mode

    path = folder / f"{exercise.notebook}.ipynb"
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return NOT_ATTEMPTED
    value = UNSET
    for cell in cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == exercise.solution_cell:
            source = cell["source"]
            value = literal_assignment(
                "".join(source) if isinstance(source, list) else source, exercise.variable
            )
    if value is UNSET or value is Ellipsis:
        return NOT_ATTEMPTED
    if value is COMPUTED or class_mode():
        return ANSWERED
    return _outcome_status(exercise.evaluate(namespace={exercise.variable: value}).outcome)


def _aggregate(statuses: list[str]) -> str:
    if all(s == CORRECT for s in statuses):
        return CORRECT
    if all(s == NOT_ATTEMPTED for s in statuses):
        return NOT_ATTEMPTED
    if all(s in (CORRECT, ANSWERED) for s in statuses):
        return ANSWERED
    return NOT_YET


class Progress:
    """Every exercise of the course with its status; displays as HTML or text."""

    def __init__(self, rows: list[Row], seconds: float):
        self.rows = rows
        self.seconds = seconds

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for row in self.rows:
            found[row.status] = found.get(row.status, 0) + 1
        return found

    def _status(self, status: str) -> str:
        return _(f"progress.{status}")

    def text(self) -> str:
        lines = [_("progress.title")]
        current = None
        for row in self.rows:
            if row.notebook != current:
                current = row.notebook
                lines.append(f"{row.notebook}")
            line = f"  {_ICONS[row.status]} {row.exercise}  {self._status(row.status)}"
            if len(row.parts) > 1 and row.status == NOT_YET:
                done = sum(1 for s in row.parts.values() if s == CORRECT)
                line += " " + _("progress.parts", done=done, total=len(row.parts))
            lines.append(line)
        done = self.counts().get(CORRECT, 0)
        lines.append(_("progress.summary", done=done, total=len(self.rows)))
        return "\n".join(lines)

    __str__ = text

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        esc = html.escape
        body = []
        for row in self.rows:
            colour = _COLOURS[row.status]
            parts = ""
            if len(row.parts) > 1:
                parts = ", ".join(
                    f"{esc(p.replace('_', ' '))} {_ICONS[s]}" for p, s in row.parts.items()
                )
            body.append(
                f"<tr><td>{esc(row.notebook)}</td><td>{esc(row.title)}</td>"
                f'<td style="color:{colour};font-weight:bold">{_ICONS[row.status]} '
                f"{esc(self._status(row.status))}</td>"
                f'<td style="font-size:smaller">{parts}</td></tr>'
            )
        done = self.counts().get(CORRECT, 0)
        return (
            '<div class="autograder-progress" role="status">'
            f"<b>{esc(_('progress.title'))}</b>"
            '<table style="margin:0.3em 0"><thead><tr>'
            f"<th>{esc(_('progress.notebook'))}</th><th>{esc(_('progress.exercise'))}</th>"
            f"<th>{esc(_('progress.status'))}</th><th>{esc(_('progress.parts_head'))}</th>"
            f"</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"<div>{esc(_('progress.summary', done=done, total=len(self.rows)))}</div></div>"
        )


def progress(folder: str | Path | None = None, *, workers: int | None = None) -> Progress:
    """The status of every exercise of the course, from the files in ``folder`` (the
    notebooks folder: the current directory by default)."""
    import time

    from .exercises import MODULES
    from .problem import AppExercise, Exercise, Prediction

    started = time.perf_counter()
    folder = Path(folder or os.getcwd())
    known = _load(folder)
    exercises = [
        value
        for module in MODULES.values()
        for value in vars(import_module(module)).values()
        if isinstance(value, Exercise)
    ]
    jobs = {}
    with ThreadPoolExecutor(max_workers=workers or max(2, os.cpu_count() or 2)) as pool:
        for exercise in exercises:
            if isinstance(exercise, AppExercise):
                app = folder / exercise.app_file
                for part in exercise.parts:
                    jobs[(exercise.notebook, exercise.name, part)] = pool.submit(
                        _app_part, exercise, part, app, known
                    )
        rows = []
        for exercise in exercises:
            if isinstance(exercise, AppExercise):
                parts = {
                    part: jobs[(exercise.notebook, exercise.name, part)].result()
                    for part in exercise.parts
                }
                status = _aggregate(list(parts.values()))
            elif isinstance(exercise, Prediction):
                parts, status = {}, _prediction_status(exercise, folder)
            else:
                continue
            rows.append(Row(exercise.notebook, exercise.name, exercise.label, status, parts))
    rows.sort(key=lambda row: (row.notebook, row.exercise))
    return Progress(rows, time.perf_counter() - started)
