"""Test cells as the grader reads them: their check calls, the hidden-tests region the
kernel is not given, the resources keys the plugins pass on, and the outputs they add."""

from __future__ import annotations

import ast
import re

from nbformat import NotebookNode
from nbgrader import utils

SEALED = "autograder_sealed"  # resources key: GuardedExecute ran the kernel sealed
HIDDEN_BY_GRADER = "autograder_hidden_by_grader"  # resources key: cells whose hidden
# tests the kernel did not run (VerifyChecks runs them)
RUN_BY_GRADER = "autograder_run_by_grader"  # resources key: test cells the kernel did not
# run at all (VerifyChecks runs every check in them, visible and hidden)
LANGUAGE_LINE = re.compile(r"^%env COURSE_LANG=(\w+)\s*$", re.MULTILINE)
HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"  # nbgrader's defaults


def error_output(ename: str, message: str) -> NotebookNode:
    """An error output whose traceback is the message only (no frames, no test code)."""
    return NotebookNode(
        output_type="error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"]
    )


def result_output(result) -> NotebookNode:
    """A check's Result as the notebook displays it (rich HTML, plain text)."""
    return NotebookNode(
        output_type="display_data",
        metadata={},
        data={"text/html": result._repr_html_(), "text/plain": result.text()},
    )


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


def only_checks(source: str) -> bool:
    """True when ``source`` is nothing but ``qN.check(...)`` calls with literal arguments
    (what the grader can run itself), each a statement of its own."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if not tree.body or check_calls(source) is None:
        return False
    return all(isinstance(node, ast.Expr) and _is_check_call(node.value) for node in tree.body)


def _is_check_call(node) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "check"
        and isinstance(node.func.value, ast.Name)
    )


def run_by_grader(cell) -> bool:
    """True for a test cell whose every line, visible and hidden, is a check call: the
    grader runs all of them itself and the kernel runs none (VerifyChecks)."""
    if not (utils.is_grade(cell) and not utils.is_solution(cell) and cell.cell_type == "code"):
        return False
    return only_checks(cell.source)  # the hidden region's markers are comments


def notebook_language(nb) -> str | None:
    """The language a notebook asks its checks to speak (the ``%env COURSE_LANG=cs`` line
    a translated notebook starts with), so the grader's feedback speaks it too."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            found = LANGUAGE_LINE.search(cell.source)
            if found:
                return found.group(1)
    return None


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
    hidden_source = "\n".join(hidden)
    if not only_checks(hidden_source):
        return None
    if not all(h for _v, _p, h in check_calls(hidden_source)):
        return None
    return "\n".join(visible)
