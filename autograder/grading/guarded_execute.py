"""``GuardedExecute``: nbgrader's ``Execute`` for autograde (same ``c.Execute.*`` settings),
registered in ``course/nbgrader_config.py``, plus:

- the kernel runs sealed in bubblewrap (:mod:`.sealed_kernel`, :mod:`.seal`): it sees
  only code and the submission's own folder, and nothing it writes elsewhere survives.
  Where bubblewrap cannot run, grading refuses (``sandbox = "none"`` is the loud opt-out);
- the kernel does not run a test cell that holds nothing but ``qN.check(...)`` calls
  (every test cell of the course): ``VerifyChecks`` runs all of them, visible and
  hidden, from the grader, so no verdict is ever computed where learner code runs and
  each check runs once, not once in the kernel and again to verify it. In a test cell
  that holds other code, the kernel is not given the hidden-tests region when that
  region holds only ``qN.check(..., hidden=True)`` calls (``VerifyChecks`` runs them);
- the kernel does not run a demonstration cell (tagged ``demo``, locked; :mod:`.demos`):
  nothing a grade depends on comes from it (a rule checked for every source notebook),
  and it cost every submission its seconds. Its outputs become one short note, in the
  notebook's language, saying to run it in JupyterLab;
- a kernel that dies (``os._exit()``, ``os.kill(os.getpid(), 9)``, a segfault) costs the
  learner the cells it did not run, not the whole submission: plain nbgrader stops and
  records *no grade at all* for that student. The cell that killed it gets an error
  output saying so; every later code cell gets a "not run" error (and scores 0);
- a cell that runs past the time limit and does not stop when interrupted (it ignores
  SIGINT, or the machine is too loaded for the kernel to answer within nbgrader's
  ``iopub_timeout``) costs the learner the cells after it, as a dead kernel does: plain
  nbgrader lets that ``CellTimeoutError`` escape and records no grade for the student;
- the kernel runs with its own TMPDIR, deleted afterwards, so temp files of killed
  checkers do not pile up on the grading machine;
- the grader becomes a child subreaper and afterwards kills every process the notebook
  started, detached or not (:mod:`autograder.grading.reap`).
"""

from __future__ import annotations

from contextlib import nullcontext

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.preprocessors import Execute
from traitlets import Enum, Integer

from ..messages import _
from ..translate import course_language
from . import seal
from .cells import (
    HIDDEN_BY_GRADER,
    RUN_BY_GRADER,
    SEALED,
    error_output,
    kernel_source,
    notebook_language,
    run_by_grader,
)
from .containment import contained, memory_limit
from .demos import not_run_output, skipped_at_autograde
from .sealed_kernel import SealedKernelManager

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
        language = notebook_language(nb)  # a Czech notebook gets its note in Czech
        with course_language(language) if language else nullcontext():
            self._demo_note = _("grading.demo_not_run")
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
        if skipped_at_autograde(cell):
            # A demonstration: nothing after it needs what it does (demos.demo_problems),
            # so the kernel skips it; the note replaces whatever outputs it carried.
            cell.outputs = [not_run_output(self._demo_note)]
            cell.execution_count = None
            return cell, self.resources
        if self._dead_at is not None:
            if cell.cell_type == "code" and cell.source.strip():
                cell.outputs = [
                    error_output(
                        "NotRun",
                        "this cell did not run: the Python kernel died or stopped answering "
                        f"in an earlier cell (cell {self._dead_at + 1} of the notebook).",
                    )
                ]
            return cell, self.resources
        if run_by_grader(cell):
            # Nothing for the kernel to run: VerifyChecks runs these checks and writes
            # their outputs (docs/instructors.md, "Checks run by the grader").
            cell.outputs = []
            self.resources.setdefault(RUN_BY_GRADER, []).append(index)
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
            return self._kernel_lost(
                cell,
                index,
                "KernelDied",
                "the Python kernel died while running this cell (os._exit(), a signal "
                "such as kill -9, or a crash); the cells after it did not run.",
            )
        except CellTimeoutError:
            # Interrupted at the time limit, and still busy: the kernel cannot run another
            # cell, so the rest of the notebook is lost as with a dead kernel (nbclient
            # stops the kernel when the notebook ends).
            return self._kernel_lost(
                cell,
                index,
                "CellTimeoutError",
                f"this cell ran past the time limit ({self.timeout} s) and did not stop "
                "when interrupted; the cells after it did not run.",
            )
        finally:
            cell.source = full

    def _kernel_lost(self, cell, index, name: str, text: str):
        self._dead_at = index
        cell.outputs = list(cell.get("outputs", [])) + [error_output(name, text)]
        return cell, self.resources
