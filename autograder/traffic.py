"""The requests side of a :class:`~autograder.cluster.Cluster`: choosing a process (the
router, or a slot the caller names), sending a call or an HTTP request, pausing one after
a Redis command, and the records of requests the platform itself ended with an error (a
timeout, a process stopped under a paused request).

:class:`Traffic` is the cluster's base class: the cluster gives it ``processes``,
``router``, ``log``, the paused requests, ``_event``, ``_slot``, ``_deadline`` and
``_replace_if_gone`` (a process that hung or ended is replaced after its request).
"""

from __future__ import annotations

from .deadline import Hung
from .errors import PlatformError
from .messages import _
from .process import Served, SimProcess


class Traffic:
    """Requests to a cluster's processes; see the module's docstring for what the cluster
    provides."""

    def request(self, handler: str, *, to: int | None = None, route_as: str | None = None, **args):
        """Send one request (a call of ``handler(**args)``) through the router.

        The request comes from the user named by ``args["user"]`` when the handler takes
        one (that is what a sticky router pins), or from ``route_as``. ``to`` bypasses the
        router and sends it to one slot or pid. Returns a :class:`Served` record.
        """
        user = route_as if route_as is not None else args.get("user")
        return self.send(handler, args, user=user, to=to)

    def send(self, handler: str, args: dict, *, user: str | None = None, to: int | None = None):
        """:meth:`request` with the handler's arguments as one dict, so they may include
        ``user`` (as in ``add_item(user, item)``) while ``user=`` routes the request."""
        process = self._choose(to, user)
        self.requests += 1
        return self._dispatch(
            process,
            lambda: process.call(handler, args, seq=self.requests, user=user),
            handler,
            args,
            user,
        )

    def begin(
        self,
        handler: str,
        *,
        pause_after,
        to: int | None = None,
        route_as: str | None = None,
        **args,
    ):
        """Start a request and pause it right after a Redis command (to show a race).

        ``pause_after`` is a command name ("GET"), several names, a count (pause
        after the n-th command), or :class:`~autograder.pause.NthRead` /
        :class:`~autograder.pause.NthWrite` (after the n-th read or write). Returns a
        :class:`~autograder.pause.PausedRequest`: send other requests meanwhile, then call
        its ``finish()``.

        >>> paused = cluster.begin("reserve", to=0, pause_after="GET", user="ana")
        >>> cluster.request("reserve", to=1, user="bo")
        >>> paused.finish()
        """
        from .pause import PausedRequest

        user = route_as if route_as is not None else args.get("user")
        process = self._choose(to, user)
        self.requests += 1
        seq = self.requests
        paused = PausedRequest(
            process,
            pause_after,
            request=(seq, handler, args, user),
            deadline=lambda: self._deadline(handler),
            timed_out=lambda: self._timed_out(process, handler, args, user, seq),
            settle=self._settle,
        )
        self._paused.append(paused)
        paused.start(Served(seq, handler, dict(args), process.pid, process.slot, user))
        self._replace_if_gone(process)
        if paused.is_paused:
            command = paused.commands[-1]
            text = _("platform.event.paused", seq=seq, pid=process.pid, command=command)
            self._event("pause", text, process.pid)
        return paused

    def _drop_paused(self, process: SimProcess) -> None:
        """A process that stops takes its paused requests with it: their users get an
        error, as a browser does when the server it waits on goes away."""
        for paused in [p for p in self._paused if p.process is process]:
            paused.abandon()  # while the process still exists, so it can unwind there
            paused.served = self._failed(
                process,
                paused.handler,
                paused.args,
                paused.user,
                paused.seq,
                "ProcessStopped",
                _("platform.error.stopped_while_paused", pid=process.pid),
            )
            paused.is_paused = False
            self._settle(paused)

    def _settle(self, paused) -> None:
        """Log a begun request once it has finished (in the order requests end)."""
        if paused in self._paused:
            self._paused.remove(paused)
            if paused.was_paused and paused.served is not None:
                paused.served.note = _("platform.note.resumed")
            self.log.append(paused.served)

    def http(
        self,
        method: str,
        path: str,
        *,
        user: str,
        form: dict | None = None,
        json=None,
        to: int | None = None,
    ):
        """Send an HTTP request from ``user``'s browser to the app's WSGI ``app``.

        The browser (see :meth:`browser`) keeps its cookies whichever process answers;
        ``served.value`` is an :class:`~autograder.http.HttpResponse`.
        """
        process = self._choose(to, user)
        browser = self.browser(user)
        self.requests += 1
        served = self._dispatch(
            process,
            lambda: process.call_wsgi(
                method, path, browser, seq=self.requests, form=form, json=json
            ),
            f"{method.upper()} {path}",
            {"path": path},
            user,
        )
        served.http = True  # the platform's own record of one that timed out is one too
        return served

    def browser(self, user: str):
        """The browser of ``user``: its cookie jar lives here, outside every process."""
        from .http import Browser

        if user not in self.browsers:
            self.browsers[user] = Browser(user)
        return self.browsers[user]

    def _choose(self, to: int | None, user: str | None) -> SimProcess:
        for process in list(self.processes):
            # Ended while nobody was asking (a Ctrl-C in the kernel while it answered).
            self._replace_if_gone(process)
        if to is not None:
            return self.processes[self._slot(to)]
        process = self.router.choose(self.processes, user)
        for who, dead, new in self.router.repinned:
            text = _("platform.event.repinned", user=who, dead=dead, new=new)
            self._event("route", text, new)
        self.router.repinned.clear()
        return process

    def _dispatch(self, process, run, handler: str, args: dict, user: str | None):
        try:
            with self._deadline(handler):
                served = run()
        except Hung:
            served = self._timed_out(process, handler, args, user, self.requests)
        self.log.append(served)
        self._replace_if_gone(process)
        return served

    def _timed_out(self, process, handler, args, user, seq) -> Served:
        # Like a router's 504: the user gets an error; the hanging process was killed.
        message = _("platform.error.no_answer", seconds=self.request_timeout)
        return self._failed(process, handler, args, user, seq, "Timeout", message)

    def _failed(self, process, handler, args, user, seq, kind: str, message: str) -> Served:
        """The record of a request the platform ended with an error of its own."""
        served = Served(seq, handler, dict(args), process.pid, process.slot, user)
        served.error = {"kind": kind, "message": message, "where": ""}
        return served

    def __call__(self, handler: str, **kwargs):
        """Shorthand for notebooks: the value the user saw (errors are raised)."""
        served = self.request(handler, **kwargs)
        if served.error:
            raise PlatformError(
                _(
                    "platform.error.request_failed",
                    seq=served.seq,
                    pid=served.pid,
                    **served.error,
                )
            )
        return served.value
