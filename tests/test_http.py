"""HTTP through the router: one browser per user, real WSGI calls into each process.

Sessions kept in a process's memory must break exactly as they do on a real platform:
with sticky routing when the pinned process dies, and at once without stickiness.
"""

from __future__ import annotations

import pytest

from autograder.cluster import Cluster
from autograder.http import Browser, HttpResponse, parse_set_cookie
from autograder.scenario import run
from autograder.steps import Finding, HttpRequest, Inspect, Phase, Scenario
from tests.conftest import write_app

IN_MEMORY_SESSIONS = """
import os, secrets
from flask import Flask, jsonify, make_response, request

app = Flask(__name__)
SESSIONS = {}

@app.post("/login")
def login():
    sid = secrets.token_urlsafe(16)
    SESSIONS[sid] = request.form["username"]
    response = make_response(jsonify(ok=True))
    response.set_cookie("sid", sid, httponly=True, samesite="Lax")
    return response

@app.get("/me")
def me():
    return jsonify(user=SESSIONS.get(request.cookies.get("sid")), pid=os.getpid(),
                   ttl=os.environ.get("SESSION_TTL"))

@app.post("/logout")
def logout():
    SESSIONS.pop(request.cookies.get("sid"), None)
    response = make_response(jsonify(ok=True))
    response.delete_cookie("sid")
    return response

@app.get("/broken")
def broken():
    return {"n": 1 / 0}
"""


@pytest.fixture
def sessions_app(app_dir):
    return write_app(app_dir, "sessions.py", IN_MEMORY_SESSIONS)


def login(cluster, user):
    return cluster.http("POST", "/login", user=user, form={"username": user})


def test_the_browser_keeps_its_cookie_whichever_process_answers(sessions_app, redis_service):
    with Cluster(sessions_app, processes=2, router="round-robin", redis=redis_service) as c:
        served = login(c, "ana")
        cookie = served.value.cookie("sid")
        assert served.value.status == 200 and served.value.json == {"ok": True}
        assert cookie.httponly and cookie.samesite == "Lax" and not cookie.deleted
        assert c.browser("ana").cookies == {"sid": cookie.value}
        # The next request goes to the other process: same cookie, no session there.
        me = c.http("GET", "/me", user="ana")
        assert me.pid != served.pid and me.value.json["user"] is None
        assert c.browser("ana").cookies == {"sid": cookie.value}
        assert c.browser("bo").cookies == {}


def test_sticky_sessions_work_until_the_pinned_process_dies(sessions_app, redis_service):
    with Cluster(sessions_app, processes=3, router="sticky", redis=redis_service) as c:
        users = ["ana", "bo", "chen", "dara", "eli", "femi"]
        pins = {user: login(c, user).pid for user in users}
        assert all(c.http("GET", "/me", user=u).value.json["user"] == u for u in users)
        victim = pins["ana"]
        c.kill(victim)
        for user in users:
            seen = c.http("GET", "/me", user=user).value.json["user"]
            assert seen == (None if pins[user] == victim else user), user
        assert any(e.action == "kill" for e in c.events)


def test_logout_deletes_the_cookie_from_the_browser(sessions_app, redis_service):
    with Cluster(sessions_app, processes=1, redis=redis_service) as c:
        login(c, "ana")
        served = c.http("POST", "/logout", user="ana")
        assert served.value.cookie("sid").deleted
        assert c.browser("ana").cookies == {}
        assert "deletes cookie sid" in repr(served.value)


def test_a_chosen_cookie_is_sent_as_is(sessions_app, redis_service):
    with Cluster(sessions_app, processes=1, redis=redis_service) as c:
        c.browser("mallory").cookies["sid"] = "chosen-by-attacker"
        login(c, "mallory")
        assert c.browser("mallory").cookies["sid"] != "chosen-by-attacker"


def test_an_error_in_a_view_points_at_the_line(sessions_app, redis_service):
    with Cluster(sessions_app, processes=1, redis=redis_service) as c:
        served = c.http("GET", "/broken", user="ana")
        assert served.error["kind"] == "ZeroDivisionError"
        assert "sessions.py, line" in served.error["where"]
        assert "GET /broken as ana on pid 1001: error ZeroDivisionError" in c.history()[-1]


def test_an_app_without_a_wsgi_app_is_told_so(app_dir, redis_service):
    app = write_app(app_dir, "plain.py", "def hit():\n    return 1\n")
    with Cluster(app, processes=1, redis=redis_service) as c:
        served = c.http("GET", "/", user="ana")
        assert served.error["kind"] == "MissingHandler"
        assert "WSGI application named app" in served.error["message"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("sid=abc; Path=/; HttpOnly; SameSite=Lax", ("abc", True, "Lax", False)),
        ("sid=abc; path=/; httponly; samesite=strict", ("abc", True, "Strict", False)),
        ("sid=abc; Path=/", ("abc", False, None, False)),
        ("sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/", ("", False, None, True)),
        ("sid=abc; Expires=Thu, 01 Jan 2004 00:00:00 GMT; Path=/", ("abc", False, None, True)),
        ("sid=abc; Max-Age=60", ("abc", False, None, False)),
    ],
)
def test_set_cookie_headers_are_read_with_their_flags(header, expected):
    cookie = parse_set_cookie(header)
    assert (cookie.value, cookie.httponly, cookie.samesite, cookie.deleted) == expected


def _receive(browser, *headers):
    browser.receive(HttpResponse(200, cookies_set=[parse_set_cookie(h) for h in headers]))


def test_the_browser_drops_a_cookie_when_its_max_age_is_over_in_simulated_time():
    browser = Browser("ana")
    _receive(browser, "sid=abc; Max-Age=60; HttpOnly", "lang=en")
    assert browser.advance(59) == []
    assert browser.cookies == {"sid": "abc", "lang": "en"}
    assert browser.advance(1) == ["sid"]
    assert browser.cookies == {"lang": "en"}  # no Max-Age: lives as long as the browser
    browser.advance(10_000)
    assert browser.cookies == {"lang": "en"}


def test_a_cookie_sent_again_starts_a_new_lifetime():
    browser = Browser("ana")
    _receive(browser, "sid=abc; Max-Age=60")
    browser.advance(50)
    _receive(browser, "sid=abc; Max-Age=60")  # sliding: sent again with every response
    browser.advance(50)
    assert browser.cookies == {"sid": "abc"}
    _receive(browser, "sid=abc")  # now a session cookie: no end of its own
    browser.advance(10_000)
    assert browser.cookies == {"sid": "abc"}


def test_expires_counts_from_now_and_max_age_wins_over_it():
    import time
    from email.utils import formatdate

    in_a_minute = formatdate(time.time() + 60, usegmt=True)
    browser = Browser("ana")
    _receive(browser, f"a=1; Expires={in_a_minute}", f"b=2; Expires={in_a_minute}; Max-Age=3600")
    browser.advance(120)
    assert browser.cookies == {"b": "2"}


class SessionModel:
    def __init__(self):
        self.logged_in = set()

    def http(self, user, method, path, form):
        if path == "/login":
            self.logged_in.add(user)
            return {"ok": True}
        if path == "/me":
            return user if user in self.logged_in else None
        return None


def session_scenario(router, extra=()):
    steps = [
        HttpRequest("POST", "/login", "ana", {"username": "ana"}),
        *extra,
        HttpRequest("GET", "/me", "ana"),
        HttpRequest("GET", "/me", "ana"),
    ]
    return Scenario([Phase(2, router, steps, env={"SESSION_TTL": "2"})], seed=3)


def user_compare(saw, expected):
    return saw.status == 200 and (
        expected is None or saw.json.get("user") == expected or saw.json == expected
    )


def test_http_steps_in_a_scenario_catch_in_memory_sessions(sessions_app, redis_service):
    result = run(
        session_scenario("round-robin"),
        sessions_app,
        SessionModel(),
        redis=redis_service,
        compare=user_compare,
    )
    assert result.reason == "state_not_shared"
    assert result.saw.startswith("<HTTP 200 {") and "'user': None" in result.saw
    assert any("POST /login form={'username': 'ana'} as ana" in line for line in result.platform)


def test_inspect_steps_see_the_environment_and_report_a_finding(sessions_app, redis_service):
    seen = {}

    def look(ctx):
        seen["ttl"] = ctx.last.value.json["ttl"]
        seen["keys"] = ctx.redis.keys("*")
        return Finding("no_session_in_redis", "No session key in Redis.", expected="a key")

    steps = [
        HttpRequest("POST", "/login", "ana", {"username": "ana"}),
        HttpRequest("GET", "/me", "ana"),
        Inspect(look),
    ]
    scenario = Scenario([Phase(1, "sticky", steps, env={"SESSION_TTL": "2"})], seed=3)
    result = run(scenario, sessions_app, SessionModel(), redis=redis_service, compare=user_compare)
    assert seen == {"ttl": "2", "keys": []}
    assert (result.outcome, result.reason) == ("incorrect", "no_session_in_redis")
    assert result.summary == "No session key in Redis." and result.expected == "a key"
    assert "A correct app leaves: a key" in result.text()  # a look behind the app, not a reply
    assert any("GET /me as ana on pid 1001" in line for line in result.platform)


def test_the_log_says_when_a_sticky_pin_breaks(sessions_app, redis_service):
    with Cluster(sessions_app, processes=2, router="sticky", redis=redis_service) as c:
        pid = login(c, "ana").pid
        c.kill(pid)
        moved = c.http("GET", "/me", user="ana").pid
        assert f"ana was pinned to pid {pid}, which is gone: now pid {moved}" in "\n".join(
            c.history()
        )


def test_feedback_names_http_requests_as_requests(app_dir, redis_service):
    app = write_app(
        app_dir,
        "unfinished.py",
        "from flask import Flask\napp = Flask(__name__)\n"
        "@app.get('/cart')\ndef cart():\n    raise NotImplementedError()\n",
    )
    steps = [HttpRequest("GET", "/cart", "ana")]
    scenario = Scenario([Phase(1, "round-robin", steps)], seed=1)
    result = run(scenario, app, SessionModel(), redis=redis_service, compare=user_compare)
    assert result.reason == "not_finished"
    assert "`GET /cart` still raises" in result.summary


def test_a_hanging_http_request_is_named_like_the_log_names_it():
    from autograder.steps import describe_step

    request = HttpRequest("POST", "/login", "ana", {"username": "ana"})
    assert describe_step(request) == "POST /login form={'username': 'ana'}"
