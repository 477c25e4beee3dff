"""The dashboard's controls and panels as ipywidgets, and how they are laid out: what
each control does is :class:`~.widgets.Dashboard`'s (this is its base class)."""

from __future__ import annotations

import ipywidgets as widgets

from ..messages import _
from ..messages.names import router_name
from ..routing import ROUTERS
from .views import BORDER


class Controls:
    """Makes a dashboard's widgets; the dashboard gives the actions (``send``, ``kill``,
    ...), ``cluster`` and ``_guarded``."""

    def _build(self, requests: int, users: int) -> None:
        self._make_controls(requests, users)
        self._lay_out()

    def _make_controls(self, requests: int, users: int) -> None:
        """The inputs, buttons and pickers, in ``self.controls`` in the order they show."""
        narrow = widgets.Layout(width="190px")  # the number inputs and the router picker
        self._make_inputs(requests, users, narrow)
        self._make_buttons()
        self._make_pickers(narrow)
        self.controls = [
            self.requests_input,
            self.users_input,
            self.send_button,
            self.send_one_button,
            self.process_picker,
            self.kill_button,
            self.restart_button,
            self.restart_all_button,
            self.rolling_button,
            self.scale_up_button,
            self.scale_down_button,
            self.router_picker,
            self.refresh_button,
        ]

    def _make_inputs(self, requests: int, users: int, narrow) -> None:
        """How many requests a send sends, from how many users."""
        self.requests_input = widgets.BoundedIntText(
            value=requests,
            min=1,
            max=100_000,
            description=_("dashboard.control.requests"),
            tooltip=_("dashboard.tip.requests"),
            layout=narrow,
        )
        self.users_input = widgets.BoundedIntText(
            value=users,
            min=1,
            max=1_000,
            description=_("dashboard.control.users"),
            tooltip=_("dashboard.tip.users"),
            layout=narrow,
        )

    def _make_buttons(self) -> None:
        """A button per action, and the progress bar of a send."""
        self.send_button = self._button("send", self.send, "primary")
        self.send_one_button = self._button("send_one", self.send_one)
        self.kill_button = self._button("kill", self.kill, "danger")
        self.restart_button = self._button("restart", self.restart, "warning")
        self.restart_all_button = self._button("restart_all", self.restart_all)
        self.rolling_button = self._button("rolling", self.rolling_restart)
        self.scale_up_button = self._button("scale_up", self.scale_up)
        self.scale_down_button = self._button("scale_down", self.scale_down)
        self.refresh_button = self._button("refresh", self.refresh)
        self.text_toggle = widgets.ToggleButton(
            description=_("dashboard.control.text"), tooltip=_("dashboard.tip.text")
        )
        self.text_toggle.observe(lambda change: self._show_text(change["new"]), names="value")
        self.progress = widgets.IntProgress(
            value=0, min=0, max=1, description=_("dashboard.control.progress")
        )

    def _make_pickers(self, narrow) -> None:
        """Which process a kill or restart hits, and which router the cluster uses."""
        self.process_picker = widgets.Dropdown(
            description=_("dashboard.control.process"),
            tooltip=_("dashboard.tip.process"),
            layout=widgets.Layout(width="240px"),
        )
        self.router_picker = widgets.Dropdown(
            options=[(router_name(kind), kind) for kind in ROUTERS],
            value=self.cluster.router.kind,
            description=_("dashboard.control.router"),
            tooltip=_("dashboard.tip.router"),
            layout=narrow,
        )
        self.router_picker.observe(self._router_picked, names="value")

    def _button(self, name: str, action, style: str = "") -> widgets.Button:
        """A button whose click runs ``action`` (guarded: an error shows in the status)."""
        control = widgets.Button(
            description=_(f"dashboard.control.{name}"),
            tooltip=_(f"dashboard.tip.{name}"),
            button_style=style,
            layout=widgets.Layout(width="auto"),
        )
        control.on_click(lambda _button: self._guarded(action))
        return control

    def _lay_out(self) -> None:
        """The panels, and everything in one box: ``self.widget``."""
        self.header = widgets.HTML()
        self.status = widgets.HTML()
        self.processes_view = widgets.HTML()
        self.router_view = widgets.HTML()
        self.redis_view = widgets.HTML()
        self.users_view = widgets.HTML()
        self.text_view = widgets.HTML(layout=widgets.Layout(display="none"))
        row = widgets.Layout(flex_flow="row wrap", align_items="center")
        self.widget = widgets.VBox(
            [
                self.header,
                widgets.HBox([*self.controls[:4], self.progress], layout=row),
                widgets.HBox(self.controls[4:11], layout=row),
                widgets.HBox(
                    [self.router_picker, self.refresh_button, self.text_toggle], layout=row
                ),
                self.status,
                self.processes_view,
                self.router_view,
                self.users_view,
                self.redis_view,
                self.text_view,
            ],
            layout=widgets.Layout(border=BORDER, padding="8px"),
        )
        self.widget.add_class("autograder-dashboard")
