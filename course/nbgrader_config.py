"""nbgrader configuration for the course (nbgrader 0.9.6).

Every setting below answers a trap we measured (DESIGN.md section 5). nbgrader only
*warns* when this file fails to load and then runs on its defaults, so
tests/test_notebooks.py loads it strictly and checks the settings that matter.
"""

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor

c = get_config()  # noqa: F821 (injected by traitlets)

# The course root is this folder, wherever nbgrader is started from.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# An assignment is exactly one notebook. Anything else in source/NN-slug/ is a leftover
# of running the source notebook in place (app.py holding the reference answer): it must
# never be released, nor copied over a submission before autograding ("*" skips every
# non-notebook file; notebooks are found separately).
c.CourseDirectory.ignore = ["*"]

# The time limit is per cell, so a hanging answer costs it once per test cell. Checks
# keep their own, much shorter budget; this only catches what slips past them.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True  # interrupt and go on with the next cell
c.Execute.error_on_timeout = {  # the error a timed-out cell shows (scores it 0)
    "ename": "CellTimeoutError",
    "evalue": "the cell hit the per-cell time limit and was interrupted",
    "traceback": [
        "CellTimeoutError: this cell ran out of time and was interrupted. "
        "Look for an endless loop or a blocking call in your answer."
    ],
}

# Any stderr output in a test cell scores it 0, so a correct answer that triggers a
# DeprecationWarning would lose its points. Checks capture warnings themselves; this
# drops a stderr output only when it consists *entirely* of warnings in the standard
# `file:line: SomethingWarning: message` format (plus the optional indented source
# line), so other stderr still counts. IgnorePattern is off unless enabled, and it only
# runs in autograde (tests/nbgrader_harness.py adds it to validation too).
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\A(?:[^\n]*:\d+: \w+Warning: [^\n]*\n(?:[ \t]+[^\n]*\n)*)+\Z"

# A learner who deletes a graded cell still gets it graded: autograde adds it back.
# (Edited test cells are restored anyway: they are locked and checksummed.)
c.OverwriteCells.add_missing_cells = True


class HideTestInternals(NbGraderPreprocessor):
    """Feedback shows test cells without hidden tests and without traceback frames.

    The autograded notebook holds the full test cells, and an error traceback quotes
    the test code around the failing line, hidden lines included. Friendly errors
    (IPython's `_render_traceback_`, used by the checks) have no "Traceback (most
    recent call last)" header and are kept whole; for any other error only the last
    line (`Name: message`) stays. Learners' own cells are left alone.
    """

    def preprocess_cell(self, cell, resources, index):
        if utils.is_grade(cell) and not utils.is_solution(cell):
            cell, resources = ClearHiddenTests(parent=self).preprocess_cell(cell, resources, index)
            for output in cell.get("outputs", []):
                tb = output.get("traceback", [])
                if output.output_type == "error" and any("Traceback" in t for t in tb):
                    output.traceback = tb[-1:]
        return cell, resources


# nbgrader shows hidden tests in feedback by design (jupyter/nbgrader#917).
c.GenerateFeedback.preprocessors = [GetGrades, HideTestInternals, CSSHTMLHeaderPreprocessor]


# Grading you can trust at class scale (autograder/grading, docs/instructors.md).
# Autograde's own list, with two plugins that run in the grader process, not the kernel:
# - GuardedExecute instead of Execute (same c.Execute.* settings): the kernel runs sealed
#   in bubblewrap (it sees only code and its own folder: no gradebook, no sources, no
#   classmates, nothing it writes elsewhere survives) and is never given the hidden
#   tests; a dead kernel costs the cells it did not run, not the whole submission; every
#   process the notebook started (daemons, new sessions) is killed afterwards.
# - VerifyChecks after IgnorePattern: a test cell that passed is re-run from the grader in
#   a fresh, sealed process, so monkeypatching the check from the notebook earns nothing;
#   the hidden checks run there too.
from nbgrader.converters import Autograde  # noqa: E402

from autograder.grading.preprocessors import (  # noqa: E402
    DropBrokenGradeMetadata,
    GuardedExecute,
    VerifyChecks,
)

_autograde = []
for _pp in Autograde.class_traits()["autograde_preprocessors"].make_dynamic_default():
    _autograde.append(GuardedExecute if _pp.__name__ == "Execute" else _pp)
    if _pp.__name__ == "IgnorePattern":
        _autograde.append(VerifyChecks)
c.Autograde.autograde_preprocessors = _autograde
# No grading without the sandbox. Where bubblewrap cannot run, autograde refuses and says
# how to fix it; `--GuardedExecute.sandbox=none` grades unsealed, with a loud warning.
c.GuardedExecute.sandbox = "bwrap"

# Sanitizing: after DeduplicateIds, drop the empty nbgrader metadata it leaves on a
# duplicated graded cell; otherwise add_missing_cells raises KeyError and nbgrader gives
# up on the whole submission (measured: tests/hostile, case tampered_structure).
_sanitize = []
for _pp in Autograde.class_traits()["sanitize_preprocessors"].make_dynamic_default():
    _sanitize.append(_pp)
    if _pp.__name__ == "DeduplicateIds":
        _sanitize.append(DropBrokenGradeMetadata)
c.Autograde.sanitize_preprocessors = _sanitize
