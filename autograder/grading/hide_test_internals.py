"""``HideTestInternals``: the feedback step (``course/nbgrader_config.py``) that keeps hidden
tests and test-code traceback frames out of what learners read back."""

from __future__ import annotations

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor


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
