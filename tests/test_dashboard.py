"""The dashboard: its controls drive the cluster, and its users panel counts correctly.

Controls are driven as a learner would, with ``button.click()`` (ipywidgets runs the same
click handlers as a click in the page) and by setting a picker's value.
"""

from __future__ import annotations

import re
import time

import ipywidgets as widgets
import pytest

from autograder import Cluster, messages
from autograder.backing import RedisService
from autograder.dashboard import Dashboard
from autograder.workloads import Cart, Counter, Responses, Workload, user_names
from tests.conftest import write_app

CART_IN_MEMORY = """
carts = {}


def add_item(user, item, qty=1):
    cart = carts.setdefault(user, {})
    cart[item] = cart.get(item, 0) + qty
    return cart[item]


def get_cart(user):
    return dict(carts.get(user, {}))
"""

CART_IN_REDIS = """
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def add_item(user, item, qty=1):
    return r.hincrby(f"cart:{user}", item, qty)


def get_cart(user):
    return {item: int(qty) for item, qty in r.hgetall(f"cart:{user}").items()}
"""

COUNTER_IN_MEMORY = """
hits = 0


def hit():
    global hits
    hits += 1
    return hits


def count():
    return hits
"""

COUNTER_IN_REDIS = """
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"])


def hit():
    return r.incr("hits")


def count():
    return int(r.get("hits") or 0)
"""

WELCOME = """
def welcome(name):
    return f"Welcome, {name}."


def shout(name, times):
    return name.upper() * times
"""


@pytest.fixture
def dashboards():
    """Dashboards made by a test, closed after it (their clusters and their own Redis)."""
    made = []
    yield made
    for dashboard in made:
        dashboard.close()


def make(dashboards, app_dir, name, source, **options) -> Dashboard:
    dashboard = Dashboard.for_app(write_app(app_dir, name, source), **options)
    dashboards.append(dashboard)
    return dashboard


def pinned_to(cluster, pid) -> set[str]:
    return {user for user, pinned in cluster.router.pins.items() if pinned == pid}


# -- the core's Cluster.send ------------------------------------------------------------
def test_send_passes_a_user_argument_and_routes_by_user(app_dir, redis_service):
    app = write_app(app_dir, "cart.py", CART_IN_MEMORY)
    with Cluster(app, processes=3, router="sticky", redis=redis_service) as cluster:
        added = cluster.send("add_item", {"user": "ana", "item": "apple"}, user="ana")
        seen = cluster.send("get_cart", {"user": "ana"}, user="ana")
    assert added.ok and added.args == {"user": "ana", "item": "apple"}
    assert (seen.value, seen.pid, seen.user) == ({"apple": 1}, added.pid, "ana")
    assert [s.seq for s in cluster.log] == [1, 2]


# -- building it --------------------------------------------------------------------------
def test_the_dashboard_shows_every_process_and_labels_every_control(dashboards, app_dir):
    dashboard = make(dashboards, app_dir, "cart.py", CART_IN_MEMORY, processes=3)
    assert isinstance(dashboard.widget, widgets.VBox)
    assert "autograder-dashboard" in dashboard.widget._dom_classes
    assert isinstance(dashboard.workload, Cart)
    for pid in (1001, 1002, 1003):
        assert f"data-pid='{pid}'" in dashboard.processes_view.value
    assert [label for label, _pid in dashboard.process_picker.options] == [
        "web.1 · pid 1001",
        "web.2 · pid 1002",
        "web.3 · pid 1003",
    ]
    for control in [*dashboard.controls, dashboard.text_toggle, dashboard.progress]:
        assert control.description.strip(), control
        assert control is dashboard.progress or control.tooltip, control
    # The display hook is the widget's own (what Jupyter renders on a cell's last line).
    bundle = dashboard._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("cart.py: 3 process(es), round-robin router")
    assert "No user has looked at their cart yet" in dashboard.text()


def test_every_message_key_the_dashboard_builds_exists():
    for key in ("cart", "count", "state"):
        for kind in ("none", "kept", "lost"):
            assert messages.has(f"dashboard.users.{kind}.{key}"), (kind, key)
    for how in ("kill", "restart", "scale", "gone"):
        assert messages.has(f"dashboard.ended.{how}")
    for cause in ("died", "died_many", "elsewhere", "error", "other"):
        assert messages.has(f"dashboard.cause.{cause}")
    for name in ("send", "send_one", "kill", "restart", "restart_all", "rolling", "refresh"):
        assert messages.has(f"dashboard.control.{name}") and messages.has(f"dashboard.tip.{name}")


# -- controls drive the cluster -----------------------------------------------------------
def test_killing_pid_1002_from_the_widget_kills_pid_1002(dashboards, app_dir):
    dashboard = make(dashboards, app_dir, "cart.py", CART_IN_MEMORY, processes=3)
    dashboard.process_picker.value = 1002
    dashboard.kill_button.click()
    assert dashboard.cluster.pids == [1001, 1004, 1003]
    last = dashboard.cluster.events[-1]
    assert (last.action, last.pid) == ("kill", 1004)
    # The picture follows: a new card, the picker still on web.2, a status line.
    assert "data-pid='1002'" not in dashboard.processes_view.value
    assert "data-pid='1004'" in dashboard.processes_view.value
    assert dashboard.process_picker.label == "web.2 · pid 1004"
    assert "Killed pid 1002; the platform started pid 1004" in dashboard.status.value
    assert "web.2 pid 1004" in dashboard.text()


def test_restart_scale_and_router_controls(dashboards, app_dir):
    dashboard = make(dashboards, app_dir, "cart.py", CART_IN_MEMORY, processes=2)
    cluster = dashboard.cluster
    dashboard.process_picker.value = 1001
    dashboard.restart_button.click()
    assert cluster.pids == [1003, 1002]
    dashboard.restart_all_button.click()
    assert cluster.pids == [1004, 1005]
    dashboard.rolling_button.click()
    assert cluster.pids == [1006, 1007] and cluster.events[-3].action == "rolling-restart"
    dashboard.scale_up_button.click()
    assert cluster.pids == [1006, 1007, 1008]
    dashboard.scale_down_button.click()
    dashboard.scale_down_button.click()
    assert cluster.pids == [1006]
    assert "Scaled to 1 process(es): pids 1006." in dashboard.status.value
    dashboard.router_picker.value = "sticky"
    assert cluster.router.kind == "sticky"
    assert "sticky router" in dashboard.header.value
    dashboard.router_picker.value = "random"
    assert cluster.router.kind == "random"


def test_a_failing_control_shows_why_instead_of_raising(dashboards, app_dir):
    dashboard = make(dashboards, app_dir, "cart.py", CART_IN_MEMORY, processes=1)
    dashboard.scale_down_button.click()  # a cluster needs at least one process
    assert dashboard.cluster.pids == [1001]
    assert "That did not work: PlatformError: a cluster needs at least one process" in (
        dashboard.status.value
    )
    assert not dashboard.send_button.disabled


def test_send_one_alternates_a_change_and_a_look(dashboards, app_dir):
    dashboard = make(dashboards, app_dir, "cart.py", CART_IN_MEMORY, processes=1)
    first = dashboard.send_one()
    second = dashboard.send_one_button.click() or dashboard.cluster.log[-1]
    assert (first.handler, first.args["user"]) == ("add_item", "ana")
    assert (second.handler, second.args, second.user) == ("get_cart", {"user": "ana"}, "ana")
    assert "Last action: Sent get_cart(user='ana') as ana: pid 1001 answered {" in dashboard.text()
    assert "1 of 1 users see their cart as they left it." in dashboard.users_view.value


# -- the users panel counts correctly ---------------------------------------------------
def test_in_memory_cart_users_lose_exactly_the_carts_of_the_killed_process(dashboards, app_dir):
    dashboard = make(dashboards, app_dir, "cart.py", CART_IN_MEMORY, processes=3, router="sticky")
    cluster = dashboard.cluster
    dashboard.send(30, 10)
    assert dashboard.text().splitlines()[2] == (
        "What users saw: 10 of 10 users see their cart as they left it."
    )
    victims = pinned_to(cluster, 1002)
    assert 0 < len(victims) < 10
    dashboard.process_picker.value = 1002
    dashboard.kill_button.click()
    dashboard.send_button.click()  # the inputs hold 30 requests as 10 users
    line = f"{len(victims)} of 10 users lost their cart when pid 1002 was killed."
    assert line in dashboard.users_view.value and line in dashboard.status.value
    lost = {s.user for s in dashboard.workload.views.values() if s.ok is False}
    assert lost == victims
    assert re.search(rf"{sorted(victims)[0]}: saw .*: ✗ lost", dashboard.text())


def test_in_memory_cart_on_round_robin_loses_without_any_kill(dashboards, app_dir):
    dashboard = make(dashboards, app_dir, "cart.py", CART_IN_MEMORY, processes=3)
    dashboard.send(30, 10)
    report = dashboard._picture().users
    assert (report.total, report.lost) == (10, 10)
    assert report.line == (
        "10 of 10 users lost their cart because their requests went to different "
        "processes, which do not share memory."
    )


@pytest.mark.parametrize("backend", ["embedded", "redis-server"])
def test_a_redis_cart_keeps_every_user_through_every_disruption(
    dashboards, app_dir, backend, request
):
    if backend == "embedded":
        service = RedisService(url="")
    else:
        service = RedisService(request.getfixturevalue("redis_server_url"))
        service.flush()
    try:
        dashboard = make(dashboards, app_dir, "cart.py", CART_IN_REDIS, processes=3, redis=service)
        for disrupt in (
            dashboard.kill_button.click,
            dashboard.restart_all_button.click,
            dashboard.rolling_button.click,
            dashboard.scale_up_button.click,
            lambda: dashboard.set_router("random"),
        ):
            dashboard.send(40, 8)
            disrupt()
        dashboard.send(40, 8)
        report = dashboard._picture().users
        assert (report.total, report.lost) == (8, 0)
        assert report.line == "8 of 8 users see their cart as they left it."
        assert "Redis (embedded fakeredis)" in dashboard.text() or backend != "embedded"
        assert "cart:ana (hash, TTL none): {" in dashboard.text()
        assert "<code>cart:ana</code></td><td>hash</td><td>none</td>" in (
            dashboard.redis_view.value
        )
    finally:
        service.flush()
        service.close()


def test_in_memory_counter_after_a_kill(dashboards, app_dir):
    dashboard = make(dashboards, app_dir, "counter.py", COUNTER_IN_MEMORY, processes=1)
    assert isinstance(dashboard.workload, Counter)
    dashboard.send(20, 5)
    assert "5 of 5 users see the right hit count." in dashboard.users_view.value
    dashboard.kill()
    dashboard.send(10, 5)
    assert dashboard._picture().users.line == (
        "5 of 5 users saw a hit count that lost hits when pid 1001 was killed."
    )
    assert "hits = 5" in dashboard.processes_view.value  # the new process counts from 0


def test_a_cart_with_other_handler_names_is_recognised(dashboards, app_dir):
    app = CART_IN_MEMORY.replace("def add_item(", "def add(").replace("def get_cart(", "def show(")
    dashboard = make(dashboards, app_dir, "memory_cart.py", app, processes=3, router="sticky")
    assert isinstance(dashboard.workload, Cart)
    assert (dashboard.workload.add, dashboard.workload.show) == ("add", "show")
    dashboard.send(30, 10)
    assert "10 of 10 users see their cart" in dashboard.users_view.value
    dashboard.restart_all_button.click()
    dashboard.send(10, 10)  # only looks
    assert dashboard._picture().users.line == (
        "10 of 10 users lost their cart when pids 1001, 1002, 1003 were restarted."
    )


def test_redis_counter_keeps_every_hit(dashboards, app_dir):
    dashboard = make(dashboards, app_dir, "counter.py", COUNTER_IN_REDIS, processes=3)
    dashboard.send(20, 5)
    dashboard.kill(0)
    dashboard.rolling_restart()
    dashboard.send(20, 5)
    assert dashboard._picture().users.line == "5 of 5 users see the right hit count."
    assert dashboard.cluster.redis.admin.get("hits") == str(dashboard.workload.model.hits)


def test_any_other_app_gets_its_responses_listed_without_a_verdict(dashboards, app_dir):
    dashboard = make(dashboards, app_dir, "welcome.py", WELCOME, processes=2)
    assert isinstance(dashboard.workload, Responses)
    assert dashboard.workload.handler == "welcome"
    dashboard.send(6, 3)
    report = dashboard._picture().users
    assert report.judged is False and report.total == 3
    assert report.line.startswith("3 user(s) sent requests. Nothing says what this app")
    assert "bo: saw 'Welcome, bo.', should see ?, pid 1001: –" in dashboard.text()


def test_an_app_error_counts_as_a_loss_with_its_cause(dashboards, app_dir):
    broken = CART_IN_MEMORY + "\n\ndef get_cart(user):\n    return carts[user]\n"
    dashboard = make(dashboards, app_dir, "cart.py", broken, processes=1)
    dashboard.send(2, 2)  # ana and bo only look: no cart yet, so get_cart raises KeyError
    report = dashboard._picture().users
    assert report.line == "2 of 2 users lost their cart because the app answered with an error."
    assert "error KeyError: &#x27;ana&#x27;" in dashboard.users_view.value


def test_requests_from_notebook_cells_count_after_refresh(app_dir, redis_service):
    app = write_app(app_dir, "cart.py", CART_IN_MEMORY)
    with Cluster(app, processes=2, router="sticky", redis=redis_service) as cluster:
        cluster.send("add_item", {"user": "ana", "item": "apple"}, user="ana")
        dashboard = Dashboard(cluster)  # sees the request made before it existed
        cluster.kill(pinned_to(cluster, 1001) and 1001 or 1002)
        cluster.send("get_cart", {"user": "ana"}, user="ana")
        assert "No user has looked" in dashboard.users_view.value
        dashboard.refresh_button.click()
        assert "1 of 1 users lost their cart when pid 100" in dashboard.users_view.value
        assert "was killed." in dashboard.users_view.value


def test_running_the_cell_again_replaces_the_previous_dashboard(dashboards, app_dir):
    first = make(dashboards, app_dir, "cart.py", CART_IN_MEMORY, processes=2)
    service = first.cluster.redis
    second = make(dashboards, app_dir, "cart.py", CART_IN_MEMORY, processes=2)
    assert first.cluster.processes == [] and service._server is None
    assert first.send_button.disabled and "closed" in first.status.value
    assert second.cluster.pids == [1001, 1002]


def test_a_custom_workload(dashboards, app_dir):
    class Greetings(Workload):
        """Users change their name; a greeting must use the latest one."""

        key = "state"
        writes = ("rename",)
        reads = ("greet",)

        def new_model(self):
            class Model:
                names: dict = {}

                def rename(self, user, name):
                    self.names[user] = name

                def greet(self, user):
                    return f"Hi {self.names.get(user, user)}"

            return Model()

        def write(self, user):
            return "rename", {"user": user, "name": user.title()}

        def read(self, user):
            return "greet", {"user": user}

    app = """
names = {}


def rename(user, name):
    names[user] = name


def greet(user):
    return f"Hi {names.get(user, user)}"
"""
    dashboard = make(dashboards, app_dir, "greet.py", app, processes=1, workload=Greetings())
    dashboard.send(10, 2)
    dashboard.restart_all()
    dashboard.send(2, 2)  # only looks: the names are gone with the old process
    assert dashboard._picture().users.line == (
        "2 of 2 users did not see what they should when pid 1001 was restarted."
    )


# -- staying responsive -------------------------------------------------------------------
def test_a_burst_of_1000_requests_redraws_in_batches(dashboards, app_dir, capsys):
    started = time.perf_counter()
    dashboard = make(dashboards, app_dir, "cart.py", CART_IN_REDIS, processes=3)
    build = time.perf_counter() - started
    redraws = []
    dashboard.users_view.observe(lambda change: redraws.append(change), names="value")
    dashboard.progress.observe(lambda change: redraws.append(change), names="value")
    dashboard.send(1000, 50)
    assert dashboard.timings["burst_requests"] == 1000
    assert dashboard.timings["burst_updates"] == 10  # every 100 requests, not every one
    assert len(redraws) <= 2 * 11
    assert dashboard._picture().users.line == "50 of 50 users see their cart as they left it."
    assert dashboard.progress.value == 1000
    with capsys.disabled():
        print(
            f"\n[dashboard timings] build {build * 1000:.0f} ms (dashboard alone "
            f"{dashboard.timings['build'] * 1000:.0f} ms); 1,000-request burst with "
            f"{dashboard.timings['burst_updates']} redraws: {dashboard.timings['burst']:.2f} s; "
            f"one redraw: {dashboard.timings['update'] * 1000:.1f} ms"
        )
    # Generous: a slow CI machine, not a benchmark. One redraw of 3 processes is small.
    assert dashboard.timings["burst"] < 30
    assert dashboard.timings["update"] < 2


def test_user_names_are_readable_and_unique():
    names = user_names(25)
    assert names[:3] == ["ana", "bo", "chen"] and names[20:22] == ["user-21", "user-22"]
    assert len(set(names)) == 25


def test_each_process_card_names_the_release_it_runs_from(app_dir, redis_service):
    """07: a rolling deploy shows old and new releases side by side on the dashboard."""
    app = write_app(app_dir, "counter.py", COUNTER_IN_REDIS)
    env = {"RELEASE_ID": "v1-0a1b2c"}
    with Cluster(app, processes=2, env=env, redis=redis_service) as cluster:
        dashboard = Dashboard(cluster)
        assert dashboard.processes_view.value.count("release v1-0a1b2c") == 2
        cluster.env["RELEASE_ID"] = "v2-3d4e5f"
        cluster.restart(0)
        dashboard.refresh()
        cards = dashboard.processes_view.value
        assert cards.count("release v1-0a1b2c") == 1 and cards.count("release v2-3d4e5f") == 1
        assert ", release v2-3d4e5f" in dashboard.text()
        dashboard.close()


def test_a_process_outside_any_release_shows_none(app_dir, redis_service):
    app = write_app(app_dir, "counter.py", COUNTER_IN_REDIS)
    with Cluster(app, processes=1, redis=redis_service) as cluster:
        dashboard = Dashboard(cluster)
        assert "autograder-release" not in dashboard.processes_view.value
        dashboard.close()
