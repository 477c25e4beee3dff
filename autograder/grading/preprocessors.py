"""nbgrader plugins that run in the GRADER process (never in the learner's kernel).

Registered in ``course/nbgrader_config.py``:

``GuardedExecute`` replaces nbgrader's ``Execute`` in autograde. Same settings
(``c.Execute.*`` applies), plus:

- the kernel runs sealed in bubblewrap (:mod:`.sealed_kernel`, :mod:`.seal`): it sees
  only code and the submission's own folder, and nothing it writes elsewhere survives.
  Where bubblewrap cannot run, grading refuses (``sandbox = "none"`` is the loud opt-out);
- the kernel is not given the hidden-tests region of a test cell when that region holds
  only ``qN.check(..., hidden=True)`` calls; ``VerifyChecks`` runs them from the grader;

- a kernel that dies (``os._exit()``, ``os.kill(os.getpid(), 9)``, a segfault) costs the
  learner the cells it did not run, not the whole submission: plain nbgrader stops and
  records *no grade at all* for that student. The cell that killed it gets an error
  output saying so; every later code cell gets a "not run" error (and scores 0);
- the kernel runs with its own TMPDIR, deleted afterwards, so temp files of killed
  checkers do not pile up on the grading machine;
- the grader becomes a child subreaper and afterwards kills every process the notebook
  started, detached or not (:mod:`autograder.grading.reap`).

``VerifyChecks`` re-runs every check whose test cell *passed* in the kernel, from the
grader (sealed too, :mod:`.sealed_check`), against the submission's files, and fails the
cell when the re-run does not pass (docs/instructors.md, "Why a monkeypatched check earns
nothing"); it also runs the hidden checks the kernel was not given.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Enum, Float, Integer

from ..answers import COMPUTED, UNSET, literal_assignment
from . import reap, seal
from .sealed_check import run_checks
from .sealed_kernel import SealedKernelManager

VERIFY_ENAME = "VerificationFailed"


def error_output(ename: str, message: str) -> NotebookNode:
    """An error output whose traceback is the message only (no frames, no test code)."""
    return NotebookNode(
        output_type="error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"]
    )


@contextlib.contextmanager
def private_tmpdir():
    """TMPDIR (for this process and everything it starts) is a fresh folder, removed after."""
    folder = tempfile.mkdtemp(prefix="autograder-grade-")
    saved = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = None
    try:
        yield folder
    finally:
        if saved is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved
        tempfile.tempdir = None
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def contained():
    """Run a block that starts learner code: private TMPDIR, then kill what it left."""
    reap.become_subreaper()
    before = set(reap.descendants())
    try:
        with private_tmpdir():
            yield
            reap.kill_descendants(keep=before)
    finally:
        reap.kill_descendants(keep=before)


@contextlib.contextmanager
def memory_limit(limit: int):
    """Lower this process's address-space limit while the block runs; children inherit it.

    The kernel is started inside the block, so an answer cell that allocates gigabytes
    gets a MemoryError instead of pushing the grading machine into swap.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    new = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    if not limit or (soft != resource.RLIM_INFINITY and soft <= new):
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (new, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


SEALED = "autograder_sealed"  # resources key: GuardedExecute ran the kernel sealed
HIDDEN_BY_GRADER = "autograder_hidden_by_grader"  # resources key: cells whose hidden
# tests the kernel did not run (VerifyChecks runs them)
HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"  # nbgrader's defaults
HIDDEN_ENAME = "HiddenCheckFailed"

UNSEALED_WARNING = (
    "UNSEALED GRADING (--GuardedExecute.sandbox=none): %s runs with the grading user's "
    "rights. Its code can write the gradebook, read source/ (reference answers, hidden "
    "tests) and other students' work, and leave hooks that forge later grades. Use this "
    "only to try the course on a machine without bubblewrap, never for a real class."
)


class GuardedExecute(Execute):
    """nbgrader's Execute that survives a dead kernel and cleans up after the notebook."""

    kernel_memory_limit = Integer(
        6 * 1024**3, help="Address-space limit of the kernel in bytes (0: none)."
    ).tag(config=True)
    sandbox = Enum(
        ["bwrap", "none"],
        "bwrap",
        help="Run each kernel sealed in bubblewrap (autograder/grading/seal.py). 'none' "
        "grades unsealed: submissions can then forge grades and read solutions.",
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._dead_at = None
        resources = resources if resources is not None else {}
        sealed = self.sandbox == "bwrap"
        if sealed:
            seal.require()  # refuses, saying how to fix it, before any learner code runs
            self.kernel_manager_class = SealedKernelManager
        else:
            self.log.warning(UNSEALED_WARNING, resources.get("metadata", {}).get("path"))
        resources[SEALED] = sealed
        with contained(), memory_limit(self.kernel_memory_limit):
            return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if self._dead_at is not None:
            if cell.cell_type == "code" and cell.source.strip():
                cell.outputs = [
                    error_output(
                        "NotRun",
                        "this cell did not run: the Python kernel died in an earlier cell "
                        f"(cell {self._dead_at + 1} of the notebook).",
                    )
                ]
            return cell, self.resources
        full, visible = cell.source, kernel_source(cell)
        if visible is not None:
            # The kernel never sees the hidden tests: VerifyChecks runs them from the
            # grader, so no learner cell can print or record them (docs/instructors.md).
            cell.source = visible
            self.resources.setdefault(HIDDEN_BY_GRADER, []).append(index)
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._dead_at = index
            cell.outputs = list(cell.get("outputs", [])) + [
                error_output(
                    "KernelDied",
                    "the Python kernel died while running this cell (os._exit(), a signal "
                    "such as kill -9, or a crash); the cells after it did not run.",
                )
            ]
            return cell, self.resources
        finally:
            cell.source = full


class DropBrokenGradeMetadata(NbGraderPreprocessor):
    """Sanitize step after DeduplicateIds: a cell whose nbgrader metadata has no grade id
    becomes an ordinary cell.

    A learner who duplicates a graded cell (JupyterLab copies its metadata) leaves two
    cells with one grade id. DeduplicateIds keeps the last and empties the other's
    metadata to ``{}``; OverwriteCells with ``add_missing_cells`` then reads
    ``["grade_id"]`` of every cell that has nbgrader metadata and raises KeyError, and
    nbgrader gives up on the whole submission (scored 0). Removing the empty metadata
    grades it normally.
    """

    def preprocess_cell(self, cell, resources, index):
        md = cell.metadata.get("nbgrader")
        if md is not None and not (isinstance(md, dict) and md.get("grade_id")):
            if md:
                self.log.warning("Cell %s has nbgrader metadata without a grade id: dropped", index)
            del cell.metadata["nbgrader"]
        return cell, resources


# --------------------------------------------------------------------------- verification


def check_calls(source: str) -> list[tuple[str, str | None, bool]] | None:
    """``[(exercise variable, part or None, hidden)]`` for every ``qN.check(...)`` in a
    test cell; None when the cell does something else we cannot re-run."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    calls = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "check"
            and isinstance(node.func.value, ast.Name)
        ):
            continue
        if len(node.args) > 1 or (node.args and not isinstance(node.args[0], ast.Constant)):
            return None
        part = node.args[0].value if node.args else None
        hidden = False
        for kw in node.keywords:
            if kw.arg != "hidden" or not isinstance(kw.value, ast.Constant):
                return None
            hidden = bool(kw.value.value)
        calls.append((node.func.value.id, part, hidden))
    return calls


def kernel_source(cell) -> str | None:
    """A test cell's source without its hidden-tests region, when the grader can run that
    region itself (it holds nothing but ``qN.check(..., hidden=True)`` calls); else None
    (the cell runs whole in the kernel, as nbgrader does)."""
    if not (utils.is_grade(cell) and not utils.is_solution(cell) and cell.cell_type == "code"):
        return None
    visible, hidden, inside = [], [], False
    for line in cell.source.split("\n"):
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        else:
            (hidden if inside else visible).append(line)
    if not any(line.strip() for line in hidden):
        return None
    try:
        tree = ast.parse("\n".join(hidden))
    except SyntaxError:
        return None
    calls = check_calls("\n".join(hidden))
    if not calls or len(calls) != len(tree.body) or not all(h for _v, _p, h in calls):
        return None
    if not all(isinstance(node, ast.Expr) for node in tree.body):
        return None
    return "\n".join(visible)


def exercises_for(notebook: str) -> dict:
    """``{variable name: exercise}`` of the module that serves this notebook."""
    from autograder.exercises import MODULES
    from autograder.problem import Exercise

    if notebook not in MODULES:
        return {}
    module = importlib.import_module(MODULES[notebook])
    found = {}
    for name, value in vars(module).items():
        if isinstance(value, Exercise):
            found[name] = value
            found.setdefault(value.name, value)
    return found


# One reading of a prediction for the grader and for progress() (which must not import
# nbgrader: it takes seconds).
_literal_assignment, _UNSET, _COMPUTED = literal_assignment, UNSET, COMPUTED


def prediction_value(exercise, cells: list, upto: int, timeout: float, sealed: bool = True):
    """The learner's prediction as the grader sees it, from the notebook's SOURCE.

    The last ``variable = <literal>`` in a learner cell before the test cell; when the
    value is computed, the answer cell alone runs in a fresh interpreter and reports the
    value's repr, which the grader parses as a literal. Either way the comparison happens
    here, in the grader, so faking it would take writing the right answer.
    """
    value = _UNSET
    answer_source = None
    for cell in cells[:upto]:
        md = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or (md.get("grade") and not md.get("solution")):
            continue
        if md.get("grade_id") == exercise.solution_cell:
            answer_source = cell.source
        found = _literal_assignment(cell.source, exercise.variable)
        if found is not _UNSET:
            value = found
    if value is not _COMPUTED:
        return value
    if answer_source is None:
        return _UNSET
    return _run_for_value(answer_source, exercise.variable, timeout, sealed)


_PROBE = """
import sys
ns = {}
exec(compile(sys.stdin.read(), "answer", "exec"), ns)
sys.stdout.write("\\n@@value@@" + repr(ns[%r]))
sys.stdout.flush()
"""


def _run_for_value(source: str, variable: str, timeout: float, sealed: bool = True):
    """Run the answer cell alone, sealed like the kernel (it is the learner's code)."""
    with tempfile.TemporaryDirectory(prefix="autograder-verify-") as scratch:
        argv, env = [sys.executable, "-I", "-c", _PROBE % variable], dict(os.environ)
        if sealed:
            argv = seal.command(argv, writable=[Path(scratch)], cwd=scratch)
            env = seal.environment(env)
        try:
            run = subprocess.run(
                argv,
                input=source,
                capture_output=True,
                text=True,
                cwd=scratch,
                env=env,
                timeout=timeout,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            return _UNSET
    marker = run.stdout.rfind("@@value@@")
    if run.returncode != 0 or marker < 0:
        return _UNSET
    try:
        return ast.literal_eval(run.stdout[marker + len("@@value@@") :])
    except (ValueError, SyntaxError):
        return _UNSET


class VerifyChecks(NbGraderPreprocessor):
    """From the grader: re-run every check whose test cell passed in the kernel, and run
    the hidden checks the kernel was not given (see ``kernel_source``)."""

    enabled = Bool(
        True,
        help="Re-verify passing checks outside the kernel. Hidden checks the kernel was "
        "not given run either way.",
    ).tag(config=True)
    prediction_timeout = Float(10.0, help="Seconds to evaluate a computed prediction.").tag(
        config=True
    )
    check_timeout = Float(
        600.0, help="Seconds for all of a notebook's app checks run by the grader."
    ).tag(config=True)

    def __call__(self, nb, resources):
        # Not NbGraderPreprocessor's: with enabled=False the hidden checks must still run.
        return self.preprocess(nb, resources)

    def preprocess(self, nb, resources):
        notebook = resources.get("nbgrader", {}).get("notebook") or ""
        self._exercises = exercises_for(notebook)
        self._folder = Path(resources.get("metadata", {}).get("path") or ".")
        self._cells = nb.cells
        self._by_grader = set(resources.get(HIDDEN_BY_GRADER, []))
        # Sealed unless GuardedExecute ran the kernel with the explicit opt-out.
        self._sealed = resources.get(SEALED, True)
        if not self._exercises:
            return nb, resources
        with contained():
            self._app_results = self.run_app_checks(nb)
            for index, cell in enumerate(nb.cells):
                nb.cells[index], resources = self.preprocess_cell(cell, resources, index)
        return nb, resources

    def calls_to_run(self, cell, index) -> list[tuple[str, str | None, bool]]:
        """The check calls the grader runs for a test cell that passed in the kernel:
        the hidden ones the kernel was not given, and (when enabled) all the others."""
        if not (utils.is_grade(cell) and not utils.is_solution(cell) and cell.cell_type == "code"):
            return []
        score, max_score = utils.determine_grade(cell)
        if not max_score or score != max_score:
            return []  # the kernel already failed it: the grader only takes points away
        calls = check_calls(cell.source) or []
        by_grader = index in self._by_grader
        return [c for c in calls if self.enabled or (by_grader and c[2])]

    def run_app_checks(self, nb) -> dict:
        """``{(variable, part, hidden): Result}`` of every app check to run, all in one
        sealed process (its own checker process per check inside)."""
        from autograder.problem import AppExercise, _attribute
        from autograder.result import Result

        keys, jobs = [], []
        for index, cell in enumerate(nb.cells):
            for variable, part, hidden in self.calls_to_run(cell, index):
                exercise = self._exercises.get(variable)
                if not isinstance(exercise, AppExercise):
                    continue
                app = str((self._folder / exercise.app_file).resolve())
                for name in [part] if part else list(exercise.parts):
                    if (variable, name, hidden) not in keys:
                        keys.append((variable, name, hidden))
                        job = dict(part=name, hidden=hidden, app=app, module=exercise.module)
                        jobs.append(dict(job, attribute=_attribute(exercise)))
        found = run_checks(jobs, sealed=self._sealed, timeout=self.check_timeout)
        return {
            key: None if data is None else Result.from_dict(data)
            for key, data in zip(keys, found, strict=True)
        }

    def preprocess_cell(self, cell, resources, index):
        for variable, part, hidden in self.calls_to_run(cell, index):
            failure, result = self.verify(variable, part, hidden, index)
            if not failure:
                continue
            # The check's own explanation, as the learner's check() shows it (with its
            # reason code), then the error that makes nbgrader score the cell 0.
            shown = [result_output(result)] if result is not None else []
            if hidden and index in self._by_grader:
                # A first run, not a re-run: the hidden level's own explanation, added
                # under the visible check's (passing) output.
                cell.outputs = (
                    list(cell.get("outputs", []))
                    + shown
                    + [
                        error_output(
                            HIDDEN_ENAME,
                            "the visible check passed, but the same check with more seeds "
                            f"(run by the grader) did not. {failure}",
                        )
                    ]
                )
                break
            self.log.warning(
                "Cell %s passed in the kernel but not when the grader re-ran it: %s",
                cell.metadata.get("nbgrader", {}).get("grade_id"),
                failure,
            )
            cell.outputs = shown + [
                error_output(
                    VERIFY_ENAME,
                    "the notebook reported that this check passed, but when the grader "
                    "ran the same check again in a fresh process, outside your notebook, "
                    f"it did not pass. {failure}",
                )
            ]
            break
        return cell, resources

    def verify(self, variable: str, part, hidden: bool, index: int):
        """``(None, None)`` when the check passes when run here, else ``(why not as
        learner-safe text, the failing Result or None)``."""
        from autograder.problem import AppExercise, Prediction

        exercise = self._exercises.get(variable)
        if exercise is None:
            return f"The notebook has no exercise called {variable}.", None
        if isinstance(exercise, AppExercise):
            for name in [part] if part else list(exercise.parts):
                result = self._app_results.get((variable, name, hidden))
                if result is None:
                    return "The grader's run of the check gave no result.", None
                if not result.passed:
                    return _summary(result), result
            return None, None
        if isinstance(exercise, Prediction):
            value = prediction_value(
                exercise, self._cells, index, self.prediction_timeout, self._sealed
            )
            namespace = {} if value is _UNSET else {exercise.variable: value}
            result = exercise.evaluate(namespace=namespace, hidden=hidden)
            return (None, None) if result.passed else (_summary(result), result)
        return None, None


def result_output(result) -> NotebookNode:
    """A check's Result as the notebook displays it (rich HTML, plain text)."""
    return NotebookNode(
        output_type="display_data",
        metadata={},
        data={"text/html": result._repr_html_(), "text/plain": result.text()},
    )


def _summary(result) -> str:
    text = " ".join(x for x in (result.summary, result.next_step) if x)
    return json.loads(json.dumps(text))  # plain str, whatever the renderer returned
