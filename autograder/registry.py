"""The exercise registry: every exercise of the course, declared once, in order.

A notebook's exercise module ends with::

    bind_exercises(globals(), [HelloApp, FourthRequest])

which names them ``q1``, ``q2``, ... by position (learntools' ``bind_exercises`` is the
model), puts them in the module's globals and ``__all__`` (what the notebook imports), and
derives what used to be written out for each one: its notebook (from the module name,
``nb01_one_process`` serves ``01-one-process``), its name, its module (the checker process
imports it from there) and its hint keys (``NN-slug.qN.hint.1``, ``.2``, ... as far as the
message catalogue has them).

The declaration is validated when the module is imported, so a mistake fails there with a
message that says what to fix, not later in a learner's notebook: every exercise needs a
title, two hints or more, and (predictions) a "correct" and a "retry" message; and where
the source notebook is at hand (a checkout, not a class build or the sealed grader), its
answer cells must be the exercises' answer cells in the same order, and its graded cells
must check exactly the exercises and parts declared here.

The tests, the grader, ``progress()`` and the class build read the course from here.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import re
from importlib import import_module
from pathlib import Path

from . import messages

PACKAGE = "autograder.exercises"
SOURCE = Path(__file__).resolve().parent.parent / "course" / "source"
_BOUND_MARK = "__exercises_bound__"  # set in a module's globals by bind_exercises
_MODULE_NAME = re.compile(r"^nb(\d\d)_([a-z0-9_]+)$")


class DeclarationError(ValueError):
    """An exercise module's declaration does not match its messages or its notebook."""


def notebook_of(module: str) -> str:
    """``autograder.exercises.nb01_one_process`` serves ``01-one-process``."""
    match = _MODULE_NAME.match(module.rsplit(".", 1)[-1])
    if match is None:
        raise DeclarationError(f"{module}: an exercise module is named nbNN_slug")
    number, slug = match.groups()
    return f"{number}-{slug.replace('_', '-')}"


def modules() -> dict[str, str]:
    """``{notebook slug: exercise module}`` of every notebook, in course order."""
    package = import_module(PACKAGE)
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(package.__path__)
        if _MODULE_NAME.match(info.name)
    )
    return {notebook_of(name): f"{PACKAGE}.{name}" for name in names}


def exercises(notebook: str) -> tuple:
    """The exercises of one notebook, in order (``q1`` first)."""
    name = modules().get(notebook)
    if name is None:
        return ()
    module = import_module(name)  # importing it binds (and validates) its exercises
    if _BOUND_MARK not in vars(module):
        raise DeclarationError(f"{name} does not end with bind_exercises(globals(), [...])")
    return tuple(getattr(module, q) for q in module.__all__)


def all_exercises() -> list:
    return [ex for notebook in modules() for ex in exercises(notebook)]


def by_name(notebook: str) -> dict:
    """``{"q1": exercise, ...}`` of one notebook (what its test cells call)."""
    return {ex.name: ex for ex in exercises(notebook)}


def hint_keys(notebook: str, name: str) -> list[str]:
    """``NN-slug.qN.hint.1``, ``.2``, ... as far as the catalogue has them."""
    keys, n = [], 1
    while messages.has(f"{notebook}.{name}.hint.{n}"):
        keys.append(f"{notebook}.{name}.hint.{n}")
        n += 1
    return keys


def bind_exercises(namespace: dict, declared: list, *, var_format: str = "q{n}") -> None:
    """Name the module's exercises by position, export them, and validate them."""
    module = namespace["__name__"]
    notebook = notebook_of(module)
    names = []
    for n, exercise in enumerate(declared, start=1):
        name = var_format.format(n=n)
        exercise.notebook, exercise.name, exercise.module = notebook, name, module
        exercise.hints = hint_keys(notebook, name)
        namespace[name] = exercise
        names.append(name)
    namespace["__all__"] = names
    problems = message_problems(declared) + notebook_problems(notebook, declared)
    if problems:
        raise DeclarationError(
            f"{module} does not match its declaration:\n- " + "\n- ".join(problems)
        )
    namespace[_BOUND_MARK] = True


# -- validation ---------------------------------------------------------------------------
def message_problems(declared: list) -> list[str]:
    from .problem import Prediction

    found = []
    for ex in declared:
        prefix = f"{ex.notebook}.{ex.name}"
        wanted = [f"{prefix}.title"]
        if isinstance(ex, Prediction):
            wanted += [f"{prefix}.correct", f"{prefix}.retry"]
        found += [f"no message {key!r} in the catalogue" for key in wanted if not messages.has(key)]
        if len(ex.hints) < 2:
            found.append(f"{ex.name} has {len(ex.hints)} hint(s); give {prefix}.hint.1 and .2")
    return found


def notebook_problems(notebook: str, declared: list) -> list[str]:
    """Where the source notebook is at hand: answer cells and graded cells vs. the declaration."""
    path = SOURCE / notebook / f"{notebook}.ipynb"
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return []  # a class build or the sealed grader: no sources, nothing to compare
    answers, checked = [], set()
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            answers.append(meta.get("grade_id"))
        elif meta.get("grade"):
            checked |= _checks_in(_text(cell))
    found = []
    declared_answers = [ex.solution_cell for ex in declared]
    if answers != declared_answers:
        found.append(f"answer cells in {path.name} are {answers}, declared {declared_answers}")
    expected = set()
    for ex in declared:
        parts = getattr(ex, "parts", None) or (None,)
        expected |= {(ex.name, part) for part in parts}
    for name, part in sorted(checked - expected, key=str):
        found.append(f"a graded cell checks {name}{'/' + part if part else ''}: not declared")
    for name, part in sorted(expected - checked, key=str):
        found.append(f"no graded cell checks {name}{'/' + part if part else ''}")
    return found


def _text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _checks_in(source: str) -> set[tuple[str, str | None]]:
    """``{(qN, part or None)}`` of the ``qN.check(...)`` calls in a test cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        func = getattr(node, "func", None)
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "check"
            and isinstance(func.value, ast.Name)
        ):
            first = node.args[0] if node.args else None
            part = first.value if isinstance(first, ast.Constant) else None
            found.add((func.value.id, part))
    return found
