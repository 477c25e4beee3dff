"""What a learner reads: feedback in one unit of time, labels that name where a value was
seen, and exceptions of "try it" cells that read like the checks' sentences."""

from __future__ import annotations

import pytest

from autograder.errors import AppCrashed, AppNotFound
from autograder.exercises.nb05_sessions import q1
from autograder.result import INCORRECT, Result
from tests.conftest import REPO

CASES = REPO / "tests" / "answers" / "05-sessions" / "session_store_app"


@pytest.fixture(autouse=True)
def checker_can_import_tests(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.delenv("REDIS_URL", raising=False)


def test_a_session_not_refreshed_is_told_in_seconds_with_what_renewal_looks_like(tmp_path):
    app = tmp_path / "shop.py"
    app.write_text((CASES / "ttl_not_refreshed.py").read_text())
    result = q1.evaluate("sessions_expire", app=app)
    assert (result.outcome, result.reason) == (INCORRECT, "ttl_not_refreshed")
    assert " ms" not in result.text() and "PTTL" not in result.saw
    assert result.saw.endswith(" s") and "renewed by the request" in result.expected
    assert "(3 s left)" in result.summary


@pytest.mark.parametrize(
    ("seen_in", "label"),
    [("user", "The user saw:"), ("redis", "Redis held:"), ("browser", "The browser held:")],
)
def test_what_was_seen_is_labelled_by_where_it_was_seen(seen_in, label):
    text = Result(INCORRECT, "x", saw="sid=abc", seen_in=seen_in).text()
    assert f"{label} sid=abc" in text


def test_a_crash_at_start_prints_as_the_checks_sentence_not_a_dict():
    error = {"kind": "NameError", "message": "name 'x' is not defined", "where": "shop.py, line 3"}
    text = str(AppCrashed(error))
    assert "{" not in text and "'kind'" not in text
    assert text.startswith("Your app crashed while the platform was starting it")
    assert "NameError: name 'x' is not defined" in text and "shop.py, line 3" in text
    unfinished = {"kind": "NotImplementedError", "message": "", "where": ""}
    assert "not written yet" in str(AppCrashed(unfinished))
    assert str(AppNotFound("/somewhere/shop.py")).startswith("There is no `shop.py` yet")


def test_in_class_mode_a_prediction_cannot_be_brute_forced(monkeypatch, capsys):
    from autograder import problem
    from tests import checker_fixtures as fx

    monkeypatch.setenv(problem.SOLUTIONS_SWITCH, "off")
    shown = []
    for guess in (1, 2, 3):  # 2 is right: every guess must look the same
        fx.guess.check(namespace={"fourth_request_shows": guess})
        shown.append(capsys.readouterr().out.replace(f"= {guess!r}`", "= <value>`"))
    assert shown[0] == shown[1] == shown[2]
    assert "Answer recorded" in shown[0] and "correct" not in shown[0].lower()
    # The grade still compares: VerifyChecks calls evaluate() in the grader's process.
    assert fx.guess.evaluate(namespace={"fourth_request_shows": 3}).outcome == INCORRECT
    assert fx.guess.evaluate(namespace={"fourth_request_shows": 2}).passed
    # Not answered yet says so, as in self-paced mode.
    with pytest.raises(problem.CheckFailed):
        fx.guess.check(namespace={})


def test_self_paced_predictions_still_say_right_or_wrong(monkeypatch):
    from autograder import problem
    from tests import checker_fixtures as fx

    monkeypatch.delenv(problem.SOLUTIONS_SWITCH, raising=False)
    with pytest.raises(problem.CheckFailed):
        fx.guess.check(namespace={"fourth_request_shows": 3})
    fx.guess.check(namespace={"fourth_request_shows": 2})
