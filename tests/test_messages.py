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


def test_a_missing_translation_falls_back_to_english(monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "cs")
    assert _("label.saw") == "The user saw:"
    monkeypatch.setenv("COURSE_LANG", "xx")
    assert _("label.saw") == "The user saw:"
