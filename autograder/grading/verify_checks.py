"""``VerifyChecks``: after autograde's ``IgnorePattern`` (``course/nbgrader_config.py``), the
grader runs the checks itself (sealed too, :mod:`.sealed_check`), against the
submission's files (docs/instructors.md, "Checks run by the grader"):

- every check of a test cell the kernel did not run (``GuardedExecute`` hands the
  grader every test cell made only of ``qN.check(...)`` calls): visible then hidden, up
  to the first failure, writing the outputs ``check()`` would have shown;
- in any other test cell that *passed* in the kernel, the same checks again, failing the
  cell when the re-run does not pass ("Test cells with other code"), and
  the hidden checks the kernel was not given.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Float

from .. import registry
from ..answers import UNSET
from ..messages import _
from ..translate import course_language
from .cells import (
    HIDDEN_BY_GRADER,
    RUN_BY_GRADER,
    SEALED,
    check_calls,
    error_output,
    notebook_language,
    result_output,
)
from .containment import contained
from .predictions import prediction_value
from .sealed_check import run_checks

VERIFY_ENAME = "VerificationFailed"
HIDDEN_ENAME = "HiddenCheckFailed"
CHECK_ENAME = "CheckFailed"  # what check() raises in a notebook (autograder.result)


class VerifyChecks(NbGraderPreprocessor):
    """From the grader: re-run every check whose test cell passed in the kernel, and run
    the hidden checks the kernel was not given (see ``kernel_source``)."""

    enabled = Bool(
        True,
        help="Re-verify passing checks of test cells the kernel ran. The checks the "
        "kernel was not given (every check of a cell made only of checks, hidden checks) "
        "run either way.",
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
        self._exercises = registry.by_name(notebook)
        self._folder = Path(resources.get("metadata", {}).get("path") or ".")
        self._cells = nb.cells
        self._by_grader = set(resources.get(HIDDEN_BY_GRADER, []))
        self._run_here = set(resources.get(RUN_BY_GRADER, []))
        # Sealed unless GuardedExecute ran the kernel with the explicit opt-out.
        self._sealed = resources.get(SEALED, True)
        if not self._exercises:
            return nb, resources
        # Checks and their outputs speak the notebook's language (a Czech notebook's
        # feedback is Czech whatever the grading machine's COURSE_LANG says).
        language = notebook_language(nb)
        with contained(), course_language(language) if language else nullcontext():
            self._app_results = self.run_app_checks(nb)
            for index, cell in enumerate(nb.cells):
                if index in self._run_here:
                    nb.cells[index] = self.run_cell(cell, index)
                else:
                    nb.cells[index], resources = self.preprocess_cell(cell, resources, index)
        return nb, resources

    def calls_to_run(self, cell, index) -> list[tuple[str, str | None, bool]]:
        """The check calls the grader runs for a test cell: all of them when the kernel
        did not run the cell; for one that passed in the kernel, the hidden ones the
        kernel was not given and (when enabled) all the others."""
        if not (utils.is_grade(cell) and not utils.is_solution(cell) and cell.cell_type == "code"):
            return []
        if index in self._run_here:
            return check_calls(cell.source) or []
        score, max_score = utils.determine_grade(cell)
        if not max_score or score != max_score:
            return []  # the kernel already failed it: the grader only takes points away
        calls = check_calls(cell.source) or []
        by_grader = index in self._by_grader
        return [c for c in calls if self.enabled or (by_grader and c[2])]

    def run_app_checks(self, nb) -> dict:
        """``{(variable, part, hidden): Result}`` of every app check to run, all in one
        sealed process (its own checker process per check inside)."""
        from autograder.problem import AppExercise
        from autograder.result import Result

        keys, jobs = [], []
        for index, cell in enumerate(nb.cells):
            for variable, part, hidden in self.calls_to_run(cell, index):
                exercise = self._exercises.get(variable)
                if not isinstance(exercise, AppExercise):
                    continue
                app = str((self._folder / exercise.app_file).resolve())
                for name in [part] if part else list(exercise.parts):
                    if (index, variable, name, hidden) not in keys:
                        # ``cell``: after a failure the cell's later checks are skipped
                        keys.append((index, variable, name, hidden))
                        job = dict(part=name, hidden=hidden, app=app, module=exercise.module)
                        jobs.append(dict(job, attribute=exercise.global_name, cell=index))
        found = run_checks(jobs, sealed=self._sealed, timeout=self.check_timeout)
        return {
            key: None if data is None else Result.from_dict(data)
            for key, data in zip(keys, found, strict=True)
        }

    def run_cell(self, cell, index):
        """A test cell the kernel did not run: its checks in order, up to the first
        failure, with the outputs ``check()`` shows in a notebook (each visible result,
        then the error that scores the cell 0; a hidden check shows itself only when it
        fails, under the visible checks' passing results)."""
        outputs = []
        for variable, part, hidden in self.calls_to_run(cell, index):
            failure, results = self.verify(variable, part, hidden, index)
            if not hidden or failure:
                outputs += [result_output(r) for r in results[-1:]]  # as check() shows
            if failure and hidden:
                outputs.append(error_output(HIDDEN_ENAME, _hidden_failed(failure)))
            elif failure:
                outputs.append(_check_failed(failure, results[-1] if results else None))
            if failure:
                break
        cell.outputs = outputs
        return cell

    def preprocess_cell(self, cell, resources, index):
        for variable, part, hidden in self.calls_to_run(cell, index):
            failure, results = self.verify(variable, part, hidden, index)
            if not failure:
                continue
            result = results[-1] if results else None
            # The check's own explanation, as the learner's check() shows it (with its
            # reason code), then the error that makes nbgrader score the cell 0.
            shown = [result_output(result)] if result is not None else []
            if hidden and index in self._by_grader:
                # A first run, not a re-run: the hidden level's own explanation, added
                # under the visible check's (passing) output.
                cell.outputs = (
                    list(cell.get("outputs", []))
                    + shown
                    + [error_output(HIDDEN_ENAME, _hidden_failed(failure))]
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
        """``(None, results)`` when the check passes when run here, else ``(why not as
        learner-safe text, results)``; ``results`` are the check's Results in order (one
        per part; empty when there is none to show)."""
        from autograder.problem import AppExercise, Prediction

        exercise = self._exercises.get(variable)
        if exercise is None:
            return f"The notebook has no exercise called {variable}.", []
        if isinstance(exercise, AppExercise):
            results = []
            for name in [part] if part else list(exercise.parts):
                result = self._app_results.get((index, variable, name, hidden))
                if result is None:
                    return "The grader's run of the check gave no result.", results
                results.append(result)
                if not result.passed:
                    return _summary(result), results
            return None, results
        if isinstance(exercise, Prediction):
            value = prediction_value(
                exercise, self._cells, index, self.prediction_timeout, self._sealed
            )
            namespace = {} if value is UNSET else {exercise.variable: value}
            result = exercise.evaluate(namespace=namespace, hidden=hidden)
            return (None if result.passed else _summary(result)), [result]
        return None, []


def _hidden_failed(failure: str) -> str:
    return (
        "the visible check passed, but the same check with more seeds (run by the grader) "
        f"did not. {failure}"
    )


def _check_failed(failure: str, result):
    """The error ``check()`` raises in a notebook: it points at the explanation above."""
    output = error_output(CHECK_ENAME, failure)
    if result is not None:
        output["traceback"] = [_("traceback.see_above", title=result._title())]
    return output


def _summary(result) -> str:
    text = " ".join(x for x in (result.summary, result.next_step) if x)
    return json.loads(json.dumps(text))  # plain str, whatever the renderer returned
