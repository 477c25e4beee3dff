"""Reading a learner's prediction from a notebook cell's source, without running it.

Used by the grader (``grading.preprocessors.VerifyChecks``) and by ``progress()``; kept
apart from both so that progress() need not import nbgrader.
"""

from __future__ import annotations

import ast

UNSET, COMPUTED = object(), object()  # no assignment; an assignment that is not a literal


def literal_assignment(source: str, variable: str):
    """The value of the last top-level ``variable = <literal>`` in source, else a marker."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return UNSET
    value = UNSET
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == variable for t in node.targets
        ):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                value = COMPUTED
    return value
