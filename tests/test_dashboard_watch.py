"""ClusterWatch: what the dashboard draws, computed and tested without any widget."""

from __future__ import annotations

import subprocess
import sys

from autograder import Cluster
from autograder.dashboard import ClusterWatch, text
from autograder.dashboard.views import processes_html, router_html
from autograder.workloads import Cart, user_names
from tests.conftest import REPO, write_app
from tests.test_dashboard import CART_IN_MEMORY, CART_IN_REDIS


def burst(cluster, workload, users=4, rounds=3):
    for _round in range(rounds):
        for user in user_names(users):
            cluster.send(*workload.write(user), user=user)
    for user in user_names(users):
        cluster.send(*workload.read(user), user=user)


def test_the_watch_and_views_need_no_ipywidgets():
    code = (
        "import sys; sys.modules['ipywidgets'] = None\n"
        "from autograder.dashboard import ClusterWatch, text, router_html\n"
        "assert 'autograder.dashboard.widgets' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_kill_is_noted_with_its_pid_and_the_users_it_cost(app_dir, redis_service):
    app = write_app(app_dir, "cart.py", CART_IN_MEMORY)
    with Cluster(app, processes=2, router="sticky", redis=redis_service) as cluster:
        watch = ClusterWatch(cluster, Cart())
        burst(cluster, watch.workload)
        assert watch.picture("ready").users.lost == 0
        victims = {u for u, pid in cluster.router.pins.items() if pid == 1001}
        before = list(cluster.pids)
        cluster.kill(1001)
        assert watch.acted(before) == ([1001], [1003])
        burst(cluster, watch.workload, rounds=0)
        picture = watch.picture("killed")
        assert picture.ended == {1001: "kill"}
        assert [p.new for p in picture.processes] == [True, False]
        lost = {s.user for s in picture.users.rows if s.ok is False}
        assert lost == victims and victims
        assert f"{len(victims)} of 4 users lost their cart when pid 1001 was killed." == (
            picture.users.line
        )
        # The views draw that picture: the dead pid struck through, the new card marked.
        assert "pid 1001 · killed" in router_html(picture)
        assert "data-pid='1003'" in processes_html(picture)
        assert text(picture).splitlines()[1] == "Last action: killed"


def test_restart_and_scale_down_are_told_apart(app_dir, redis_service):
    app = write_app(app_dir, "cart.py", CART_IN_REDIS)
    with Cluster(app, processes=3, redis=redis_service) as cluster:
        watch = ClusterWatch(cluster, Cart())
        cluster.restart(1001)
        cluster.scale(2)
        picture = watch.picture("")
        assert picture.ended == {1001: "restart", 1003: "scale"}
        burst(cluster, watch.workload)
        assert watch.picture("").users.line == "4 of 4 users see their cart as they left it."


def test_requests_sent_before_the_watch_began_are_judged_too(app_dir, redis_service):
    app = write_app(app_dir, "cart.py", CART_IN_REDIS)
    with Cluster(app, processes=1, redis=redis_service) as cluster:
        cluster.send("add_item", {"user": "ana", "item": "figs"}, user="ana")
        watch = ClusterWatch(cluster, Cart(), last=1)
        cluster.send("get_cart", {"user": "ana"}, user="ana")
        picture = watch.picture("")
        assert [s.value for s in picture.users.rows] == [{"figs": 1}]
        assert picture.users.lost == 0
        assert [s.seq for s in picture.last] == [2]
