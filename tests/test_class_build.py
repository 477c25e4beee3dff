"""The class build for learners (make release): no solutions, no sources, no hidden seeds,
and solution() off whatever the learner's environment says. Self-paced keeps solution()."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from autograder import class_build as release

SHOW = """
import json, sys
from autograder.exercises.nb01_one_process import q3
from autograder import solutions
q3.solution()
"""


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    return release.build(tmp_path_factory.mktemp("class") / "build")


def run_in(folder, code, **env):
    """Python in ``folder`` importing the autograder found there first."""
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-B", "-s", "-c", code],
        cwd=folder,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


def test_the_class_build_ships_notebooks_and_package_only(build):
    top = sorted(p.name for p in build.iterdir())
    assert top == ["README.md", "autograder", "notebooks", "pyproject.toml", "requirements.txt"]
    names = {p.name for p in build.rglob("*")}
    assert not names & {"solutions", "source", "course", "tests", ".git"}
    for nb in (build / "notebooks").glob("*.ipynb"):
        text = nb.read_text("utf-8")
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, nb.name


@pytest.mark.parametrize("value", [None, "on", "1", "yes", "true"])
def test_no_environment_switches_solutions_on_in_a_class_build(build, value):
    env = {} if value is None else {"AUTOGRADER_SOLUTIONS": value}
    shown = run_in(build, SHOW, **env)
    assert "switched off" in shown
    assert "r.incr" not in shown and "REDIS_URL" not in shown  # no line of the reference


def test_the_class_build_has_no_hidden_seeds(build):
    code = release.SELF_CHECK  # the build's own self-check, run again here
    state = json.loads(run_in(build, code).strip().splitlines()[-1])
    assert state == {**state, "seeds": {}, "solutions": False, "class_build": True}
    assert str(build) in state["file"]


def test_self_paced_keeps_solution(capsys, monkeypatch):
    from autograder.exercises.nb01_one_process import q3

    monkeypatch.delenv("AUTOGRADER_SOLUTIONS", raising=False)
    q3.solution()
    assert "r.incr" in capsys.readouterr().out


def test_the_build_refuses_to_overwrite_the_course():
    with pytest.raises(release.ReleaseError, match="refusing"):
        release.build(release.ROOT)
