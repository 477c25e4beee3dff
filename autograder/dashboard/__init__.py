"""A cluster you can see and break: one ipywidgets dashboard for the course's notebooks.

    from autograder.dashboard import Dashboard

    dashboard = Dashboard.for_app("cart.py", processes=3)  # its own cluster and Redis
    dashboard                                               # the last line of a cell shows it

or ``Dashboard(cluster)`` for a cluster made in the notebook. It shows one card per process
(pid, uptime, requests served, module globals), the router with the last requests drawn to
the process that served them, the Redis keys, and what every simulated user saw: "3 of 10
users lost their cart when pid 1002 was killed". Its controls send requests, kill, restart,
scale and switch the router. Every control is also a method (``dashboard.kill(1002)``), and
``dashboard.text()`` is the whole picture as plain text (for screen readers and tests).

What a user "should see" comes from a workload (``autograder.workloads``): ready ones for
the cart and the counter, picked from the app's functions, and a fallback for any app.

The package, in layers (each imports only the ones above it):

- :mod:`.watch`: :class:`ClusterWatch` follows a cluster and computes a :class:`Picture`
  (what ended and how, what users saw); no widgets, testable on its own.
- :mod:`.views`: a picture drawn as HTML panels and as plain text.
- :mod:`.controls`: the ipywidgets controls and panels, and their layout.
- :mod:`.widgets`: :class:`Dashboard`, what each control does.
"""

from .views import processes_html, redis_html, router_html, status_html, text, users_html
from .watch import LAST, MAX_ROWS, ClusterWatch, Picture, ProcessView

_WIDGETS = ("BATCH", "Dashboard")


def __getattr__(name: str):
    # ipywidgets is imported only by what needs it, so the watch and the views work
    # (and are tested) where it is not installed.
    if name in _WIDGETS:
        from . import widgets

        return getattr(widgets, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BATCH",
    "LAST",
    "MAX_ROWS",
    "ClusterWatch",
    "Dashboard",
    "Picture",
    "ProcessView",
    "processes_html",
    "redis_html",
    "router_html",
    "status_html",
    "text",
    "users_html",
]
