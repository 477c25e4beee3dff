"""Every learner-facing text comes from the catalogue, and every key used exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder import messages, scenario
from autograder.messages import _
from autograder.problem import Prediction
from tests.course_index import all_exercises

PACKAGE = Path(messages.__file__).resolve().parent.parent
LITERAL_KEY = re.compile(r"""\b_\(\s*["']([a-z0-9_.\-]+)["']""")


def test_every_literal_key_in_the_package_exists():
    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys at all"
    assert sorted(k for k in used if not messages.has(k)) == []


def _declared_reason_codes(module) -> set[str]:
    """A module's reason codes: the ``NAME = "name"`` constants its own source declares
    (what it imports is declared elsewhere: outcomes, a file host's modes); a notebook
    that is a package (``nb05_sessions/``) declares them in any of its modules."""
    import ast
    import inspect
    import pkgutil
    from importlib import import_module

    found = set()
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        found |= _declared_reason_codes(import_module(f"{module.__name__}.{info.name}"))
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            name, value = node.targets[0], node.value
            if isinstance(name, ast.Name) and isinstance(value, ast.Constant):
                if value.value == name.id.lower():
                    found.add(value.value)
    return found


def test_every_engine_and_notebook_declares_reason_codes_that_all_have_messages():
    from importlib import import_module

    from autograder import feedback, registry

    modules = [feedback, scenario] + [import_module(m) for m in registry.modules().values()]
    codes = {m.__name__: _declared_reason_codes(m) for m in modules}
    assert set(feedback.REASONS) == codes["autograder.feedback"]
    assert len(codes["autograder.exercises.nb05_sessions"]) >= 10  # the scan finds them
    missing = sorted(
        (name, key)
        for name, found in codes.items()
        for code in found
        for key in (f"reason.{code}", f"next.{code}")
        if not messages.has(key)
    )
    assert missing == []


def test_every_reason_code_has_an_explanation_and_a_next_step():
    outcomes = {"correct", "incorrect", "not_attempted"}
    codes = [v for k, v in vars(scenario).items() if k.isupper() and isinstance(v, str)]
    assert len(codes) > 10
    for code in set(codes) - outcomes:
        assert messages.has(f"reason.{code}"), code
        assert messages.has(f"next.{code}"), code


@pytest.mark.parametrize("exercise", all_exercises(), ids=lambda e: f"{e.notebook}/{e.name}")
def test_every_exercise_has_a_title_and_two_tiered_hints(exercise):
    assert _(f"{exercise.notebook}.{exercise.name}.title")
    assert len(exercise.hints) >= 2
    for key in exercise.hints:
        assert messages.has(key), key
    if isinstance(exercise, Prediction):
        assert messages.has(f"{exercise.notebook}.{exercise.name}.correct")
        assert messages.has(f"{exercise.notebook}.{exercise.name}.retry")


def test_every_part_has_a_title_and_headings_speak_the_learners_language(monkeypatch):
    from autograder.result import Result

    parts = [p for e in all_exercises() for p in getattr(e, "parts", ())]
    assert len(parts) > 30
    for part in parts:
        assert messages.has(f"part.{part}"), part
    result = Result("incorrect", "lost_job", exercise="08 · q1", part="survives_crashes")
    assert "part: survives crashes" in result.text()
    monkeypatch.setenv("COURSE_LANG", "cs")
    assert "část: přežije pády" in result.text()
    # Not the English id made readable: the Czech title of every part is a translation.
    assert all(_(f"part.{p}") != p.replace("_", " ") for p in parts)


def test_a_missing_translation_falls_back_to_english(monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "cs")
    monkeypatch.setitem(messages._po_cache, "cs", {})  # a Czech catalogue with nothing in it
    assert _("label.saw") == "The user saw:"
    monkeypatch.setenv("COURSE_LANG", "xx")
    assert _("label.saw") == "The user saw:"


def test_every_platform_identifier_has_a_name_in_the_catalogue():
    from autograder.backing import ATTACHED, EMBEDDED
    from autograder.messages.names import redis_name, router_name
    from autograder.routing import ROUTERS

    assert [router_name(kind) for kind in ROUTERS] == ["round-robin", "random", "sticky"]
    assert [redis_name(kind) for kind in (EMBEDDED, ATTACHED)] == [EMBEDDED, ATTACHED]
