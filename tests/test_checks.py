"""check() end to end: the checker process, outcomes, budgets, and what learners see."""

from __future__ import annotations

import os

import pytest

from autograder import problem
from autograder.result import CORRECT, INCORRECT, NOT_ATTEMPTED, CheckFailed
from tests import checker_fixtures as fx
from tests.conftest import REPO, write_app

GOOD = """
import os, redis
r = redis.Redis.from_url(os.environ["REDIS_URL"])
def hit():
    return r.incr("hits")
"""
STATEFUL = """
n = 0
def hit():
    global n
    n += 1
    return n
"""


@pytest.fixture(autouse=True)
def checker_can_import_tests(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.delenv("REDIS_URL", raising=False)


def evaluate(app_dir, source, exercise=fx.counter, **kwargs):
    app = write_app(app_dir, "counter.py", source) if source is not None else app_dir / "c.py"
    return exercise.evaluate(app=app, **kwargs)


def test_a_correct_app_passes_visible_and_hidden(app_dir):
    for hidden in (False, True):
        result = evaluate(app_dir, GOOD, hidden=hidden)
        assert (result.outcome, result.reason) == (CORRECT, CORRECT), result.text()
    assert result.level == "hidden" and result.seed == 3


def test_a_stateful_app_fails_and_says_what_the_platform_did(app_dir):
    result = evaluate(app_dir, STATEFUL)
    assert result.outcome == INCORRECT and result.reason == "state_not_shared"
    text = result.text()
    assert "pid 1002" in text and "seed 1" in text
    assert result.saw == "1" and result.expected == "2"


def test_check_raises_with_a_friendly_traceback(app_dir, capsys):
    write_app(app_dir, "counter.py", STATEFUL)
    with pytest.raises(CheckFailed) as failure:
        fx.counter.check(app=app_dir / "counter.py")
    lines = failure.value._render_traceback_()
    assert lines[0].startswith("Not yet")
    assert not any("Traceback" in line or 'File "' in line for line in lines)
    assert capsys.readouterr().err == ""


def test_passing_check_returns_and_prints_no_stderr(app_dir, capsys):
    write_app(app_dir, "counter.py", GOOD)
    assert fx.counter.check(app=app_dir / "counter.py") is None  # did not raise
    captured = capsys.readouterr()
    assert captured.err == "" and "Correct" in captured.out


def test_a_missing_file_is_not_attempted(app_dir):
    result = evaluate(app_dir, None)
    assert (result.outcome, result.reason) == (NOT_ATTEMPTED, "not_written")


def test_the_nbgrader_stub_is_not_attempted(app_dir):
    result = evaluate(app_dir, "# YOUR CODE HERE\nraise NotImplementedError()\n")
    assert (result.outcome, result.reason) == (NOT_ATTEMPTED, "not_finished")
    faded = "def hit():\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    result = evaluate(app_dir, faded)
    assert (result.outcome, result.reason) == (NOT_ATTEMPTED, "not_finished")


def test_a_warning_answer_keeps_its_points(app_dir, capsys):
    source = "import warnings\nwarnings.warn('old', DeprecationWarning)\n" + GOOD.replace(
        "def hit():\n", "def hit():\n    warnings.warn('old api', DeprecationWarning)\n"
    )
    write_app(app_dir, "counter.py", source)
    fx.counter.check(app=app_dir / "counter.py")  # raises CheckFailed if it lost points
    assert capsys.readouterr().err == ""


def test_a_hanging_handler_fails_with_timeout(app_dir):
    result = evaluate(app_dir, "def hit():\n    while True:\n        pass\n")
    assert result.reason == "timeout"
    assert "did not answer" in result.summary


def test_a_hang_at_import_fails_with_timeout(app_dir):
    result = evaluate(app_dir, "import time\ntime.sleep(3600)\ndef hit():\n    return 1\n")
    assert result.reason == "timeout"


def test_a_hang_that_swallows_interrupts_hits_the_budget(app_dir):
    source = """
def hit():
    while True:
        try:
            while True:
                pass
        except BaseException:
            pass
"""
    result = evaluate(app_dir, source, exercise=fx.quick)
    assert result.reason == "timeout" and "budget" in result.summary


@pytest.mark.parametrize(
    "source, reason",
    [
        ("import os\ndef hit():\n    os._exit(3)\n", "process_exited"),
        ("import sys\ndef hit():\n    sys.exit(1)\n", "process_exited"),
        ("import sys\nsys.exit(0)\n", "process_exited"),
        ("def hit(:\n", "app_crashed_at_start"),
        ("def hello():\n    return 1\n", "missing_function"),
        ("def hit():\n    return 1 / 0\n", "app_error"),
        (
            "import redis\nr = redis.Redis(port=1)\ndef hit():\n    return r.incr('x')\n",
            "cannot_reach_redis",
        ),
        (
            "def hit():\n    open('/tmp/stateless-check-hits', 'a').close()\n    return 1\n",
            "write_outside_disk",
        ),
    ],
)
def test_broken_apps_get_a_clear_reason(app_dir, source, reason):
    result = evaluate(app_dir, source)
    assert result.outcome == INCORRECT and result.reason == reason, result.text()


def test_an_app_that_floods_output_is_clipped(app_dir):
    source = "def hit():\n    print('x' * 5_000_000)\n    return 0\n"
    result = evaluate(app_dir, source)
    assert result.reason == "wrong_response"
    assert len(result.text()) < 5_000


def test_a_broken_checker_is_not_blamed_on_the_learner(app_dir, monkeypatch):
    write_app(app_dir, "counter.py", GOOD)
    monkeypatch.setattr(fx.counter, "module", "no.such.module")
    result = fx.counter.evaluate(app=app_dir / "counter.py")
    assert result.reason == "checker_failed"


def test_the_checker_never_gets_the_notebooks_embedded_redis(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1111/0")
    monkeypatch.setenv("AUTOGRADER_EMBEDDED_URL", "redis://127.0.0.1:1111/0")
    assert "REDIS_URL" not in problem._checker_env()
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:2222/0")  # given from outside: kept
    assert problem._checker_env()["REDIS_URL"] == "redis://127.0.0.1:2222/0"


def test_prediction_outcomes_never_reveal_the_answer():
    assert fx.guess.evaluate(namespace={}).outcome == NOT_ATTEMPTED
    assert fx.guess.evaluate(namespace={"fourth_request_shows": ...}).outcome == NOT_ATTEMPTED
    assert fx.guess.evaluate(namespace={"fourth_request_shows": "2"}).passed
    for wrong in (1, 4, "two", None, [2]):
        result = fx.guess.evaluate(namespace={"fourth_request_shows": wrong})
        assert result.outcome == INCORRECT and result.reason == "wrong_prediction"
        said = (result.summary + result.next_step + "".join(result.details)).replace(
            repr(wrong), ""
        )
        assert "2" not in said and not result.expected


def test_hints_are_tiered_and_clamped(capsys):
    fx.counter.hint()
    first = capsys.readouterr().out
    fx.counter.hint(2)
    second = capsys.readouterr().out
    fx.counter.hint(99)
    past = capsys.readouterr().out
    assert first != second and "hint(2)" in first
    # Past the last hint: the last one again, and a sentence that says it is the last.
    assert second.split("\n", 1)[1] in past
    assert "There is no hint 99: this exercise has 2." in past


def test_a_failed_check_names_the_part_in_its_heading(app_dir):
    result = evaluate(app_dir, STATEFUL)  # every part: the one that failed is named
    assert result.part == "counts"
    assert result.text().splitlines()[0].endswith("· part: counts")
    assert "part: counts" in result._repr_html_()
    assert "part" not in evaluate(app_dir, GOOD).text().splitlines()[0]


def test_solutions_can_be_switched_off(monkeypatch, capsys):
    monkeypatch.setenv(problem.SOLUTIONS_SWITCH, "off")
    fx.counter.solution()
    assert "switched off" in capsys.readouterr().out


def test_checks_run_against_the_given_redis_url(app_dir, redis_service, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_service.url)
    redis_service.admin.set("unrelated", "1")
    result = evaluate(app_dir, GOOD)
    assert result.passed
    assert redis_service.admin.get("hits") is not None  # it really used that server
    assert os.environ["REDIS_URL"] == redis_service.url
