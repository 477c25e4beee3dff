"""Drive the real nbgrader 0.9.6 the way a course run does, and report what it decided.

- ``make_course`` copies the course (config + source notebooks) to a temporary folder.
- ``validate`` runs nbgrader's ``Validator`` on a copy of a notebook and says, per cell,
  which graded tests passed and which other cells raised errors.
- ``load_cases`` reads the wrong-answer catalogue, ``build_submission`` fills a release
  notebook with the reference answers plus replacements, and ``autograde_class`` runs
  ``nbgrader autograde``, ``generate_feedback`` and ``export`` on a whole class.

Everything nbgrader runs happens in a child process with the same interpreter as pytest:
the Validator ``chdir``s and its kernels inherit the environment, and neither may touch
the pytest process. Notebooks always run in a throwaway folder, never in the checkout.
"""

from __future__ import annotations

import copy
import csv
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
COURSE = REPO / "course"
CONFIG = COURSE / "nbgrader_config.py"
ANSWERS = REPO / "tests" / "answers"

# nbgrader's default delimiters; like nbgrader, a line *containing* one is a marker.
SOLUTION_BEGIN, SOLUTION_END = "BEGIN SOLUTION", "END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
CLI_TIMEOUT = 1800  # seconds for one nbgrader command: a wedged run fails instead of hanging


# --------------------------------------------------------------------------- cells


def nbgrader_md(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_answer(cell) -> bool:
    """A cell the learner writes (an nbgrader solution cell)."""
    return bool(nbgrader_md(cell).get("solution"))


def is_test(cell) -> bool:
    """An autograded test cell (graded, not written by the learner)."""
    md = nbgrader_md(cell)
    return bool(md.get("grade")) and not md.get("solution") and cell.cell_type == "code"


# How a cell cut at nbgrader's per-cell limit ends: the kernel's KeyboardInterrupt (it
# is interrupted: Execute.interrupt_on_timeout), or, if it does not even answer that, the
# error course/nbgrader_config.py sets (Execute.error_on_timeout). Nothing else
# interrupts a kernel during autograde.
CUT_AT_THE_LIMIT = {"KeyboardInterrupt", "CellTimeoutError"}


def cut_at_time_limit(cell) -> bool:
    """nbgrader's per-cell time limit ended this (autograded) cell."""
    return any(o.get("ename") in CUT_AT_THE_LIMIT for o in cell.get("outputs", []))


def read_nb(nb) -> nbformat.NotebookNode:
    return copy.deepcopy(nb) if isinstance(nb, dict) else nbformat.read(nb, as_version=4)


def cells_by_id(nb, predicate) -> dict:
    return {nbgrader_md(c)["grade_id"]: c for c in read_nb(nb).cells if predicate(c)}


def graded_points(nb) -> dict[str, float]:
    """``{test grade id: points}`` in notebook order."""
    return {gid: float(nbgrader_md(c)["points"]) for gid, c in cells_by_id(nb, is_test).items()}


def regions(cell) -> dict[str, list[str]]:
    """A cell's lines split into "public", "solution" and "hidden" (marker lines dropped).

    An answer cell without markers (a whole-cell answer) is solution as a whole, as
    nbgrader replaces it whole.
    """
    out: dict[str, list[str]] = {"public": [], "solution": [], "hidden": []}
    lines = cell.source.split("\n")
    if is_answer(cell) and not any(SOLUTION_BEGIN in line for line in lines):
        out["solution"] = lines
        return out
    state = "public"
    for line in lines:
        if HIDDEN_BEGIN in line:
            state = "hidden"
        elif SOLUTION_BEGIN in line:
            state = "solution"
        elif HIDDEN_END in line or SOLUTION_END in line:
            state = "public"
        else:
            out[state].append(line)
    return out


def reference_source(source: str) -> str:
    """The reference answer as a learner would type it: the source minus marker lines."""
    return "\n".join(
        line
        for line in source.split("\n")
        if SOLUTION_BEGIN not in line and SOLUTION_END not in line
    )


def writefile_line(source: str) -> str | None:
    """``%%writefile NAME`` when the cell writes a file, else None."""
    first = source.split("\n", 1)[0]
    return first if first.startswith("%%writefile") else None


# --------------------------------------------------------------------------- course


@dataclass(frozen=True)
class Course:
    root: Path

    def source_nb(self, assignment: str) -> Path:
        return self.root / "source" / assignment / f"{assignment}.ipynb"

    def release_nb(self, assignment: str) -> Path:
        return self.root / "release" / assignment / f"{assignment}.ipynb"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"


def make_course(tmp_path: Path, source_root: Path = COURSE / "source") -> Course:
    """Copy the course config and every ``source/NN-slug/NN-slug.ipynb`` into tmp_path/course.

    Only notebooks are copied: files a source notebook wrote while an author ran it in
    place (an ``app.py`` holding the reference answer) must not reach any submission.
    """
    root = Path(tmp_path) / "course"
    for nb in sorted(Path(source_root).glob("*/*.ipynb")):
        (root / "source" / nb.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(nb, root / "source" / nb.parent.name / nb.name)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(CONFIG, root / "nbgrader_config.py")
    return Course(root)


def child_env(scratch: Path) -> dict[str, str]:
    """Environment for nbgrader and its kernels: hermetic, importing this checkout."""
    env = dict(os.environ)
    # nbgrader shells out to `alembic` by name when it creates a gradebook.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    # Kernels import `autograder` from the checkout, installed or not.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["JUPYTER_CONFIG_DIR"] = str(scratch / "jupyter-config")  # ignore ~/.jupyter
    env["IPYTHONDIR"] = str(scratch / "ipython")  # no profile startup files in kernels
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # quiet ipykernel's debugger warning
    # nbgrader only logs a config that fails to load, then grades on its defaults.
    env["TRAITLETS_APPLICATION_RAISE_CONFIG_FILE_ERROR"] = "1"
    for name in ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING"):
        env.pop(name, None)
    return env


def run_nbgrader(course: Course, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """``python -m nbgrader ARGS`` in the course root; raises with the log on failure."""
    cmd = [sys.executable, "-m", "nbgrader", *args]
    run = subprocess.run(
        cmd,
        cwd=course.root,
        env=child_env(course.root.parent),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
    )
    if check and run.returncode != 0:
        log = run.stdout + run.stderr
        # nbgrader goes on after a failing student; its ERROR lines and their indented
        # tracebacks say which one and why, the rest of the log is context.
        errors = re.findall(r"^\[\w+ \| ERROR\].*(?:\n {4}.*)*", log, flags=re.M)
        raise AssertionError(
            f"nbgrader {' '.join(args)} exited {run.returncode}:\n"
            + "\n".join(errors)
            + f"\n\n--- full log ---\n{log}"
        )
    return run


def run_parallel_grader(
    course: Course, assignment: str, jobs: int, extra: list[str]
) -> subprocess.CompletedProcess:
    """``python -m autograder grade`` in the course root; raises with the log on failure."""
    cmd = [sys.executable, "-m", "autograder", "grade", assignment, "--course", str(course.root)]
    cmd += ["--jobs", str(jobs), "--no-progress", *extra]
    run = subprocess.run(
        cmd,
        cwd=course.root,
        env=child_env(course.root.parent),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
    )
    if run.returncode != 0:
        raise AssertionError(
            f"parallel grader exited {run.returncode}:\n{run.stdout}\n{run.stderr}"
        )
    return run


def generate_release(course: Course, assignment: str) -> Path:
    """``nbgrader generate_assignment``: fills the gradebook and returns the release notebook."""
    run_nbgrader(course, "generate_assignment", assignment, "--force")
    return course.release_nb(assignment)


# --------------------------------------------------------------------------- validate


@dataclass
class CellResult:
    index: int
    grade_id: str | None
    kind: str  # "test", "answer" or "other"
    source: str
    errors: list[str]  # error tracebacks and stderr text, ANSI stripped
    score: float | None = None
    max_score: float | None = None

    @property
    def passed(self) -> bool:
        return self.score is not None and self.score == self.max_score


@dataclass
class Validation:
    notebook: Path
    invert: bool
    nbgrader: dict  # what Validator.validate() itself returned
    tests: dict[str, CellResult]  # graded test cells by grade id
    cells: list[CellResult]  # every code cell

    @property
    def cell_errors(self) -> list[CellResult]:
        """Code cells other than tests that raised or wrote to stderr.

        In a learner notebook (invert) answer cells hold nbgrader's stub and may raise.
        """
        allowed = ("test", "answer") if self.invert else ("test",)
        return [c for c in self.cells if c.kind not in allowed and c.errors]

    def problems(self) -> list[str]:
        """Why this notebook is not what it should be (empty when it is)."""
        out = [f"nbgrader: {key}" for key in ("type_changed", "changed") if key in self.nbgrader]
        for c in self.cell_errors:
            out.append(f"cell {c.index} ({c.kind}) failed:\n{c.source}\n---\n{c.errors[0]}")
        for gid, c in self.tests.items():
            if self.invert and c.score:
                out.append(f"test {gid} scored {c.score}/{c.max_score} on the learner version")
            elif not self.invert and not c.passed:
                msg = c.errors[0] if c.errors else "partial credit"
                out.append(f"test {gid} scored {c.score}/{c.max_score}:\n{msg}")
        return out

    @property
    def ok(self) -> bool:
        return not self.problems()


def validate(
    nb_path: Path,
    invert: bool = False,
    timeout: int | None = None,
    config: Path = CONFIG,
    workdir: Path | None = None,
) -> Validation:
    """Validate a COPY of nb_path with ``nbgrader.validator.Validator``.

    ``invert=False`` (source notebooks): every graded test must pass and every other
    code cell run without error or stderr. ``invert=True`` (learner notebooks): no
    graded test may get any points, and every cell that is neither a test nor an answer
    (which holds nbgrader's stub) must run cleanly. ``timeout`` overrides the per-cell
    ``Execute.timeout``. The CLI ``nbgrader validate`` exits 0 even on failure, hence
    the Python API, here in a child process.
    """
    with tempfile.TemporaryDirectory(prefix="validate-") as tmp:
        scratch = Path(workdir) if workdir else Path(tmp)
        scratch.mkdir(parents=True, exist_ok=True)
        copy_path = scratch / Path(nb_path).name
        shutil.copy(nb_path, copy_path)
        request = {
            "result": str(Path(tmp) / "result.json"),
            "notebook": str(copy_path),
            "invert": invert,
            "timeout": timeout,
            "config": str(config),
        }
        run = subprocess.run(
            [sys.executable, __file__, "--validate", json.dumps(request)],
            cwd=scratch,
            env=child_env(Path(tmp)),
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT,
        )
        if run.returncode != 0:
            raise AssertionError(f"validating {nb_path} crashed:\n{run.stdout}\n{run.stderr}")
        result = json.loads(Path(request["result"]).read_text("utf-8"))
    cells = [CellResult(**c) for c in result["cells"]]
    return Validation(
        notebook=Path(nb_path),
        invert=invert,
        nbgrader=result["nbgrader"],
        tests={c.grade_id: c for c in cells if c.kind == "test"},
        cells=cells,
    )


def _validate_in_child(request: dict) -> None:
    """Runs in the child: nbgrader's Validator, with the executed notebook kept."""
    from nbconvert.filters import strip_ansi
    from nbconvert.preprocessors import Preprocessor
    from nbgrader import utils
    from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, Execute, IgnorePattern
    from nbgrader.validator import Validator
    from traitlets.config.loader import PyFileConfigLoader

    config_path = Path(request["config"])
    config = PyFileConfigLoader(config_path.name, str(config_path.parent)).load_config()
    if request["timeout"]:
        config.Execute.timeout = request["timeout"]
    executed = []

    class KeepExecuted(Preprocessor):
        def preprocess(self, nb, resources):
            executed.append(nb)
            return nb, resources

    class IgnorePatternIfEnabled(IgnorePattern):
        # Validator calls preprocess() directly, skipping the `enabled` test of __call__.
        def preprocess(self, nb, resources):
            return super().preprocess(nb, resources) if self.enabled else (nb, resources)

    # Validator's own list plus IgnorePattern, which autograde runs after Execute: without
    # it a cell that autograde scores full (a stray warning) would fail validation.
    validator = Validator(
        config=config,
        invert=request["invert"],
        preprocessors=[
            CheckCellMetadata,
            ClearOutput,
            Execute,
            IgnorePatternIfEnabled,
            KeepExecuted,
        ],
    )
    raw = validator.validate(request["notebook"])
    cells = []
    for index, cell in enumerate(executed[0].cells if executed else []):
        if cell.cell_type != "code":
            continue
        errors = []
        for out in cell.outputs:
            if out.output_type == "error":
                errors.append(strip_ansi("\n".join(out.traceback)))
            elif out.output_type == "stream" and out.name == "stderr":
                errors.append(out.text)
        kind = "test" if is_test(cell) else "answer" if is_answer(cell) else "other"
        score = max_score = None
        if kind == "test":
            score, max_score = utils.determine_grade(cell)
        cells.append(
            dict(
                index=index,
                grade_id=nbgrader_md(cell).get("grade_id"),
                kind=kind,
                source=cell.source,
                errors=errors,
                score=score,
                max_score=max_score,
            )
        )
    result = {"nbgrader": raw, "cells": cells}
    Path(request["result"]).write_text(json.dumps(result), "utf-8")


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class Case:
    """One catalogued answer: tests/answers/<assignment>/<answer grade id>/<name>.py (or
    .procfile)."""

    assignment: str
    answer_id: str
    name: str
    expect: dict[str, float]  # test grade id -> exact points; unlisted tests get full marks
    reason: str  # the reason code the check reports ("correct" for full marks)
    body: str  # the file as written in the catalogue, headers removed
    source: str  # what goes into the answer cell
    path: Path
    # Why nbgrader must grade this case end to end on every run ("# e2e: ..."): what it
    # proves that the fast path cannot (stderr, for instance). Empty for most cases.
    e2e: str = ""

    @property
    def id(self) -> str:
        return f"{self.answer_id}/{self.name}"


# A case is an app file (.py) or, for an answer cell that writes a Procfile, a .procfile.
CASE_SUFFIXES = (".py", ".procfile")
HEADER = re.compile(r"#\s*(expect|reason|e2e):(.*)")


def parse_case(path: Path, assignment: str, answer_cell) -> Case:
    lines = path.read_text("utf-8").split("\n")
    headers: dict[str, str] = {}
    while lines and (m := HEADER.fullmatch(lines[0].strip())):
        headers[m.group(1)] = m.group(2).strip()
        lines.pop(0)
    if not {"expect", "reason"} <= set(headers) or not headers["reason"]:
        raise ValueError(
            f"{path}: must start with '# expect: id=points ...' and '# reason: code'"
            " (and may add '# e2e: why nbgrader must grade it end to end')"
        )
    expect = {}
    for item in headers["expect"].split():
        gid, _, points = item.partition("=")
        expect[gid] = float(points)
    body = "\n".join(lines).strip("\n")
    header = writefile_line(answer_cell.source)
    return Case(
        assignment=assignment,
        answer_id=path.parent.name,
        name=path.stem,
        expect=expect,
        reason=headers["reason"],
        body=body,
        source=f"{header}\n{body}" if header else body,
        path=path,
        e2e=headers.get("e2e", ""),
    )


def load_cases(
    assignment: str, answers_root: Path = ANSWERS, source_root: Path = COURSE / "source"
) -> list[Case]:
    """Every case of one assignment, checked against its source notebook."""
    source_nb = Path(source_root) / assignment / f"{assignment}.ipynb"
    answers, points = cells_by_id(source_nb, is_answer), graded_points(source_nb)
    cases = []
    for path in sorted((Path(answers_root) / assignment).glob("*/*")):
        if path.suffix not in CASE_SUFFIXES:
            continue
        if path.parent.name not in answers:
            raise ValueError(f"{path}: {source_nb.name} has no answer cell '{path.parent.name}'")
        case = parse_case(path, assignment, answers[path.parent.name])
        for gid, score in case.expect.items():
            if gid not in points or not 0 <= score <= points[gid]:
                raise ValueError(f"{path}: '{gid}={score}' is not a test cell's possible score")
        cases.append(case)
    return cases


def expected_scores(points: dict[str, float], expect: dict[str, float]) -> dict[str, float]:
    """Full marks everywhere except where ``expect`` says otherwise."""
    return {gid: expect.get(gid, full) for gid, full in points.items()}


# --------------------------------------------------------------------------- autograde


def build_submission(release_nb, source_nb, replacements: dict | None = None):
    """The release notebook with every answer cell holding the reference answer.

    ``replacements`` maps a grade id (answer or test cell) to the new cell source, or
    to None to delete that cell, as a learner might.
    """
    nb = read_nb(release_nb)
    reference = cells_by_id(source_nb, is_answer)
    for cell in nb.cells:
        if is_answer(cell):
            cell.source = reference_source(reference[nbgrader_md(cell)["grade_id"]].source)
    replacements = dict(replacements or {})
    unknown = set(replacements) - {nbgrader_md(c).get("grade_id") for c in nb.cells}
    if unknown:
        raise KeyError(f"no cells with grade ids {sorted(unknown)}")
    kept = []
    for cell in nb.cells:
        gid = nbgrader_md(cell).get("grade_id")
        if gid in replacements and replacements[gid] is None:
            continue
        if gid in replacements:
            cell.source = replacements[gid]
        kept.append(cell)
    nb.cells = kept
    return nb


@dataclass
class ClassResult:
    scores: dict[str, dict[str, float]]  # student -> test grade id -> score
    max_scores: dict[str, float]
    csv: dict[str, dict[str, str]]  # student -> row of `nbgrader export`
    feedback: dict[str, Path]  # student -> feedback HTML
    seconds: float  # wall time of `nbgrader autograde`
    log: str = field(repr=False, default="")

    def total(self, student: str) -> float:
        return sum(self.scores[student].values())


def autograde_class(
    course: Course,
    assignment: str,
    submissions: dict,
    timeout: int | None = None,
    jobs: int = 1,
) -> ClassResult:
    """Submit, autograde, generate feedback and export a whole class with the real CLI.

    ``submissions`` maps a student id to a notebook (node or path). The release must
    exist (``generate_release``). ``timeout`` overrides the per-cell Execute.timeout.
    ``jobs`` > 1 autogrades with the course's parallel grader (``python -m autograder
    grade``: real ``nbgrader autograde`` per shard, merged; test_class_grading proves it
    gives the same gradebook as one ``nbgrader autograde``).
    """
    for student, nb in submissions.items():
        folder = course.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(read_nb(nb), folder / f"{assignment}.ipynb")
    extra = [f"--Execute.timeout={timeout}"] if timeout else []
    start = time.monotonic()
    if jobs > 1:
        graded = run_parallel_grader(course, assignment, jobs, extra)
    else:
        graded = run_nbgrader(course, "autograde", assignment, "--force", *extra)
    seconds = time.monotonic() - start
    feedback = run_nbgrader(course, "generate_feedback", assignment, "--force")
    csv_path = course.root / "grades.csv"
    run_nbgrader(course, "export", f"--to={csv_path}")

    from nbgrader.api import Gradebook

    scores: dict[str, dict[str, float]] = {}
    max_scores: dict[str, float] = {}
    with Gradebook(course.db_url) as gb:
        for student in submissions:
            notebook = gb.find_submission_notebook(assignment, assignment, student)
            scores[student] = {g.name: float(g.score) for g in notebook.grades}
            max_scores.update({g.name: float(g.max_score) for g in notebook.grades})
    with csv_path.open(newline="") as fh:
        rows = {
            row["student_id"]: row for row in csv.DictReader(fh) if row["assignment"] == assignment
        }
    return ClassResult(
        scores=scores,
        max_scores=max_scores,
        csv=rows,
        feedback={
            s: course.root / "feedback" / s / assignment / f"{assignment}.html" for s in submissions
        },
        seconds=seconds,
        log=graded.stdout + graded.stderr + feedback.stdout + feedback.stderr,
    )


def cell_errors(nb, allow_answers: bool) -> list[str]:
    """Code cells other than tests (and answers, when allowed: a learner notebook's
    stubs raise) that raised or wrote to stderr in an executed notebook.

    Autograde drops warnings-only stderr (IgnorePattern), as the learner's own run of
    Validate does; any stderr left is a problem."""
    from nbconvert.filters import strip_ansi

    out = []
    for index, cell in enumerate(read_nb(nb).cells):
        if cell.cell_type != "code" or is_test(cell) or (allow_answers and is_answer(cell)):
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                out.append(
                    f"cell {index} raised:\n{cell.source}\n---\n"
                    + strip_ansi("\n".join(output.traceback))
                )
            elif output.output_type == "stream" and output.name == "stderr":
                out.append(f"cell {index} wrote to stderr:\n{cell.source}\n---\n{output.text}")
    return out


def catalogue_class(release_nb, source_nb, cases: list[Case]) -> tuple[dict, dict]:
    """``(submissions, expected scores)`` for one class: the reference answers (full
    marks), the untouched release (0 everywhere) and one student per catalogue case."""
    points = graded_points(source_nb)
    submissions = {
        "reference": build_submission(release_nb, source_nb),
        "untouched": read_nb(release_nb),
    }
    expected = {"reference": dict(points), "untouched": dict.fromkeys(points, 0.0)}
    for case in cases:
        student = f"{case.answer_id}--{case.name}"
        submissions[student] = build_submission(
            release_nb, source_nb, {case.answer_id: case.source}
        )
        expected[student] = expected_scores(points, case.expect)
    return submissions, expected


def grading_problems(result: ClassResult, expected: dict[str, dict[str, float]]) -> list[str]:
    """Where the gradebook or the exported CSV disagree with the expected scores."""
    out = []
    for student, scores in expected.items():
        if result.scores.get(student) != scores:
            out.append(f"{student}: expected {scores}, nbgrader gave {result.scores.get(student)}")
        row = result.csv.get(student)
        if row is None or float(row["score"]) != sum(scores.values()):
            out.append(
                f"{student}: export says {row and row['score']}, expected {sum(scores.values())}"
            )
    return out


def feedback_problems(result: ClassResult, source_nb, cases: list[Case]) -> list[str]:
    """What the feedback HTML gives away: hidden-test lines (anyone), traceback frames
    quoting test code (anyone), the reference answer to the cell a student got wrong
    (catalogue cases, minus lines the student wrote too) or to any cell (untouched)."""
    nb = read_nb(source_nb)
    public = public_lines(nb)
    hidden = secret_lines(nb, public)["hidden"]
    per_answer = {
        gid: distinctive(regions(c)["solution"], public)
        for gid, c in cells_by_id(nb, is_answer).items()
    }
    test_code = distinctive(
        [x for c in cells_by_id(nb, is_test).values() for x in c.source.split("\n")], set()
    )
    must_not_show = {"untouched": set().union(*per_answer.values())}
    for case in cases:
        written = {normalize(x) for x in case.body.split("\n")}
        must_not_show[f"{case.answer_id}--{case.name}"] = per_answer[case.answer_id] - written
    out = []
    for student, path in result.feedback.items():
        text = html_text(path)
        lines = {normalize(x) for x in text.split("\n")}
        for line in sorted(hidden & lines):
            out.append(f"{student}: feedback shows a hidden-test line: {line}")
        for line in sorted(must_not_show.get(student, set()) & lines):
            out.append(f"{student}: feedback shows a solution line: {line}")
        for line in quoted_frames(text, test_code):
            out.append(f"{student}: feedback quotes test code in a traceback: {line}")
    return out


# --------------------------------------------------------------------------- leaks


def normalize(line: str) -> str:
    return " ".join(line.split())


def distinctive(lines, public: set[str]) -> set[str]:
    """The lines that would give something away if a learner saw them.

    A line is not secret when the learner sees it anyway: it appears in the public part
    of a source notebook (scaffold, imports, demo code, visible tests) or it is short
    enough to be common code (under 8 characters: ``pass``, ``else:``, ``return x``
    is already 8). What is left is specific to the answer or the hidden tests.
    """
    out = {normalize(x) for x in lines}
    return {x for x in out if len(x) >= 8 and x not in public}


def public_lines(*notebooks) -> set[str]:
    """Every line a learner sees in the source notebooks (normalized)."""
    return {
        normalize(line)
        for nb in notebooks
        for cell in read_nb(nb).cells
        for line in regions(cell)["public"]
    }


def secret_lines(source_nb, public: set[str] | None = None) -> dict[str, set[str]]:
    """``{"solution": lines, "hidden": lines}`` of one source notebook, made distinctive."""
    public = public_lines(source_nb) if public is None else public
    found: dict[str, list[str]] = {"solution": [], "hidden": []}
    for cell in read_nb(source_nb).cells:
        r = regions(cell)
        found["solution"] += r["solution"]
        found["hidden"] += r["hidden"]
    return {kind: distinctive(lines, public) for kind, lines in found.items()}


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(path: Path) -> str:
    """The visible text of an HTML file (code is split into highlighting spans)."""
    parser = _Text()
    parser.feed(Path(path).read_text("utf-8"))
    return "".join(parser.parts)


FRAME_LINE = re.compile(r"^\s*(?:-*>)?\s*\d+\s(?P<code>.*)$")


def quoted_frames(text: str, code_lines: set[str]) -> list[str]:
    """Traceback lines (``----> 3 assert x``, ``      2 y = 1``) quoting any of code_lines."""
    hits = []
    for line in text.split("\n"):
        m = FRAME_LINE.match(line)
        if m and normalize(m.group("code")) in code_lines:
            hits.append(line.strip())
    return hits


if __name__ == "__main__" and sys.argv[1:2] == ["--validate"]:
    _validate_in_child(json.loads(sys.argv[2]))
