"""Under COURSE_LANG=qps every word a learner reads is marked: it came from the catalogue.

The pseudo-locale wraps every catalogue template in ⟦…⟧ (autograder/messages/pseudo.py says
what counts as English). Here every check runs under it — for every exercise, one
catalogue case per reason it can fail for, and the reference (the reference and the first
wrong answer of every exercise on every run, the other reasons with ``E2E_ALL=1``, i.e.
``make test-all``) — and so do the platform's
demos and the dashboard: no Result (text and HTML), history line, error or widget may hold
an unmarked English word. The checks run in their own checker process, so this also
proves the checker inherits COURSE_LANG. And the verdicts stay those of the catalogue:
checks compare keys and values, never prose.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

from autograder.messages import _
from autograder.messages.pseudo import (
    mark,
    unmarked,
    unmarked_english,
    unmarked_english_html,
)
from tests.course_index import exercise_for, fast_verdicts, load_cases

# "qps" marks the English catalogue; "qps-cs" marks the Czech one and leaves every English
# fallback unmarked, so the same detector proves that a Czech learner reads no English:
# neither a word from outside the catalogue nor a message the translation lacks.
LANGUAGES = ("qps", "qps-cs")
EVERY_REASON = os.environ.get("E2E_ALL", "").lower() in ("1", "true", "yes")


@pytest.fixture(params=LANGUAGES)
def qps(request, monkeypatch):
    monkeypatch.setenv("COURSE_LANG", request.param)
    monkeypatch.delenv("REDIS_URL", raising=False)
    return request.param


# -- the detector itself ------------------------------------------------------------------
def test_marking_keeps_placeholders_working(monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "qps")
    assert _("outcome.correct", exercise="q1") == "⟦Correct: q1⟧"
    assert mark("{n} of {total}").format(n=1, total=2) == "⟦1 of 2⟧"
    assert unmarked("a ⟦b ⟦c⟧ d⟧ e") == "a   e"


def test_a_pseudo_run_over_czech_marks_czech_and_shows_english_fallbacks(monkeypatch, tmp_path):
    from autograder import messages

    monkeypatch.setenv("COURSE_LANG", "qps-cs")
    assert _("outcome.correct", exercise="q1") == "⟦Správně: q1⟧"
    assert _("dashboard.card.served", count=3) == "⟦obslouženy 3 požadavky⟧"  # a plural form
    # A message the Czech catalogue lacks comes out in English, unmarked: the detector sees it.
    monkeypatch.setattr(messages, "_po_cache", {"cs": {}})
    shown = _("outcome.correct", exercise="q1")
    assert shown == "Correct: q1"
    assert unmarked_english(shown) == ["Correct"]


@pytest.mark.parametrize(
    "text, english",
    [
        ("⟦Killed pid {pid}⟧", []),
        ("  #3 get_cart(user='ana') on pid 1002: -> {'apple': 1}", ["on", "pid"]),
        ("platform: restarted pid 1001", ["platform", "restarted", "pid"]),
        ("⟦Not yet: q1⟧ KeyError: 'ana'", []),  # an exception type is an identifier
        ("web.1 cart:ana /login True None 1001", []),
        ("ana saw ⟦lost⟧", ["saw"]),  # "ana" is allowed below: a user the test named
    ],
)
def test_what_counts_as_english(text, english):
    assert unmarked_english(text, allowed={"ana"}) == english


def test_html_counts_text_and_labels_not_markup():
    markup = (
        "<section aria-label='Processes' style='display:flex'><b>⟦Router⟧</b>"
        "<svg><text x='1'>pid 1002</text></svg><style>.a{color:red}</style></section>"
    )
    assert unmarked_english_html(markup) == ["Processes", "pid"]


# -- every check ----------------------------------------------------------------------------
def one_case_per_reason():
    """For each exercise, the first catalogue case of each reason (the reference among
    them): every path a check can explain, at the price of one case each. The reference
    and the first wrong answer of each exercise run with the fast tests; the other
    reasons only in ``make test-all`` (they double no fact, they only widen the net: every
    reason's message is a catalogue template, proved to exist by tests/test_registry.py)."""
    seen, exercises, picked = set(), {}, []
    for case in load_cases():
        key = (case.assignment, case.answer_id, case.reason)
        if key in seen:
            continue
        seen.add(key)
        wrong = exercises.setdefault((case.assignment, case.answer_id), set())
        fast = case.reason == "correct" or not wrong
        if case.reason != "correct":
            wrong.add(case.reason)
        if not (fast or EVERY_REASON):
            continue
        marks = () if fast else (pytest.mark.slow,)
        # Czech runs the fast set: every check engine, hint and next step of every
        # exercise, at no extra cost for the reasons that only widen the net.
        for language in LANGUAGES if fast else LANGUAGES[:1]:
            case_id = f"{case.assignment}/{case.id}/{language}"
            picked.append(pytest.param(case, language, marks=marks, id=case_id))
    return picked


CASES = one_case_per_reason()


@pytest.mark.parametrize("case, language", CASES)
def test_every_check_speaks_only_through_the_catalogue(
    case, language, monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("COURSE_LANG", language)
    monkeypatch.delenv("REDIS_URL", raising=False)
    verdicts = fast_verdicts(case, tmp_path)
    failing = [r for r in verdicts.values() if not r.passed]
    assert (failing[0].reason if failing else "correct") == case.reason
    allowed = answer_words(case)
    for grade_id, result in verdicts.items():
        assert english_lines(result.text(), allowed) == [], grade_id
        assert unmarked_english_html(result._repr_html_(), allowed) == [], grade_id
    exercise = exercise_for(case)
    for n in range(1, len(exercise.hints) + 2):  # and one past the last
        exercise.hint(n)
        shown = capsys.readouterr().out
        assert english_lines(shown) == []


def answer_words(case) -> set[str]:
    """Values a check may show as they are: the words of the learner's own answer (the
    code it ran) and of the data the check made up for it (07's CSS and JS sources)."""
    text = case.body
    if case.assignment == "07-build-time-assets":
        from autograder.exercises.nb07_build_time_assets import COLOURS, write_sources

        with tempfile.TemporaryDirectory() as folder:
            sources = write_sources(Path(folder), seed=0)
            text += "".join(p.read_text() for p in sources.iterdir()) + " ".join(COLOURS)
    return set(re.findall(r"[A-Za-z]{2,}", text))


def english_lines(text: str, allowed=frozenset()) -> list[str]:
    """The lines of ``text`` with unmarked English, each with the words found."""
    return [
        f"{words}: {line}"
        for line in unmarked(text).splitlines()  # a marked span may hold several lines
        if (words := unmarked_english(line, allowed))
    ]


# -- the platform's demos and the dashboard ------------------------------------------------
CART = """
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"])
carts = {}


def visit(user):
    return r.incr("visits")


def add_item(user, item, qty=1):
    cart = carts.setdefault(user, {})
    cart[item] = cart.get(item, 0) + qty
    return cart[item]


def get_cart(user):
    return dict(carts[user])


def leak():
    with open("/tmp/leak.txt", "w") as file:
        file.write("x")


def leave():
    os._exit(3)
"""
VALUES = {"ana", "bo", "chen", "dara", "apple", "bread", "cheese", "dates", "eggs", "figs"}
# Names from the app file (its globals, its handlers, its own file name).
VALUES |= {"carts", "cart", "py", "web", "visit", "visits", "os", "redis", "leak", "leave", "nope"}
VALUES |= {"tmp", "txt"}  # the path of the refused write


def test_the_platform_demo_speaks_only_through_the_catalogue(qps, app_dir, redis_service):
    from autograder import Cluster
    from autograder.errors import PlatformError
    from autograder.render import cluster_html, cluster_text
    from tests.conftest import write_app

    app = write_app(app_dir, "cart.py", CART)
    with Cluster(app, processes=3, router="sticky", seed=3, redis=redis_service) as cluster:
        for user in ("ana", "bo", "chen", "dara"):
            cluster.request("add_item", user=user, item="figs")
        cluster.kill(cluster.router.pins["ana"])
        cluster.request("get_cart", user="ana")  # repinned, and a KeyError from the app
        # What the app process itself writes (a refused write, a missing handler) and the
        # parent's error for a process that exits in a handler. Checked on their own: in a
        # history line they sit inside a marked template, where the detector cannot see
        # a value's English.
        app_errors = [cluster.request(h).error for h in ("leak", "nope", "leave")]
        assert [e["kind"] for e in app_errors] == [
            "PermissionError",
            "MissingHandler",
            "ProcessExited",
        ]
        cluster.restart(0)
        cluster.rolling_restart()
        cluster.scale(2)
        cluster.set_router("round-robin")
        paused = cluster.begin("visit", to=0, pause_after="INCRBY", user="bo")
        assert paused.is_paused
        cluster.restart(0)  # the paused request dies with its process
        assert paused.served.error
        errors = []
        for attempt in (
            lambda: cluster.kill(4242),
            lambda: cluster.set_router("fastest"),
            lambda: cluster.scale(0),
            lambda: cluster("get_cart", user="nobody"),
        ):
            with pytest.raises(PlatformError) as raised:
                attempt()
            errors.append(str(raised.value))
        errors += [error["message"] for error in app_errors]
        shown = "\n".join([*cluster.history(), cluster_text(cluster), *errors])
        assert english_lines(shown, VALUES) == []
        assert unmarked_english_html(cluster_html(cluster), VALUES) == []


def test_the_dashboard_speaks_only_through_the_catalogue(qps, app_dir, redis_service):
    from autograder.dashboard import Dashboard
    from tests.conftest import write_app

    app = write_app(app_dir, "cart.py", CART.replace("carts[user]", "carts.get(user, {})"))
    dashboard = Dashboard.for_app(app, processes=3, router="sticky")
    try:
        dashboard.send(20, 4)
        dashboard.kill(1002)
        dashboard.set_router("random")
        dashboard.send_one()
        dashboard.restart_all()
        dashboard.scale_down()
        dashboard.send(20, 4)
        dashboard.text_toggle.value = True
        assert english_lines(dashboard.text(), VALUES) == []
        for view in (
            dashboard.header,
            dashboard.status,
            dashboard.processes_view,
            dashboard.router_view,
            dashboard.redis_view,
            dashboard.users_view,
            dashboard.text_view,
        ):
            assert unmarked_english_html(view.value, VALUES) == [], view.value
        for control in [*dashboard.controls, dashboard.text_toggle, dashboard.progress]:
            labels = [control.description, getattr(control, "tooltip", "") or ""]
            labels += [label for label, _value in getattr(control, "options", ())]
            assert [w for label in labels for w in unmarked_english(label, VALUES)] == []
    finally:
        dashboard.close()
    assert unmarked_english_html(dashboard.status.value) == []
