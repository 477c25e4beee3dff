"""A learner's prediction as the grader reads it, from the submitted notebook's source."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ..answers import COMPUTED, UNSET, literal_assignment
from . import seal


def prediction_value(exercise, cells: list, upto: int, timeout: float, sealed: bool = True):
    """The learner's prediction as the grader sees it, from the notebook's SOURCE.

    The last ``variable = <literal>`` in a learner cell before the test cell; when the
    value is computed, the answer cell alone runs in a fresh interpreter and reports the
    value's repr, which the grader parses as a literal. Either way the comparison happens
    here, in the grader, so faking it would take writing the right answer.
    """
    value = UNSET
    answer_source = None
    for cell in cells[:upto]:
        md = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or (md.get("grade") and not md.get("solution")):
            continue
        if md.get("grade_id") == exercise.solution_cell:
            answer_source = cell.source
        found = literal_assignment(cell.source, exercise.variable)
        if found is not UNSET:
            value = found
    if value is not COMPUTED:
        return value
    if answer_source is None:
        return UNSET
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
            return UNSET
    marker = run.stdout.rfind("@@value@@")
    if run.returncode != 0 or marker < 0:
        return UNSET
    try:
        return ast.literal_eval(run.stdout[marker + len("@@value@@") :])
    except (ValueError, SyntaxError):
        return UNSET
