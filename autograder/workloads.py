"""What simulated users do to an app, and whether they see what they should.

The dashboard's "what users saw" panel needs to know, for one app, which requests change a
user's state, which requests show it, and what a correct app would show. A workload says
exactly that, in the same way the exercise checks do: a small *model* of a correct app,
with one method per handler.

The dashboard shows the workload every request the cluster served (the dashboard's own and
those sent from notebook cells), in order, through :meth:`Workload.observe`. A write that
succeeded updates the model; a read becomes a :class:`Seen`: what the user saw, what the
model says they should see, and which processes served the writes behind it.

Ready workloads: :class:`Cart` (``add_item`` / ``get_cart``), :class:`Counter` (``hit`` /
``count``) and, for any other app, :class:`Responses`, which sends one handler and records
the answers without judging them. :func:`guess` picks one from the app's functions. Your
own app: subclass :class:`Workload`, name the handlers, and give it a model::

    class Profiles(Workload):
        key = "state"
        writes = ("save_profile",)
        reads = ("get_profile",)

        def new_model(self):
            return ProfileModel()  # save_profile(user, name, email), get_profile(user)

        def write(self, user):
            return "save_profile", {"user": user, "name": user.title(), "email": f"{user}@x.org"}

        def read(self, user):
            return "get_profile", {"user": user}
"""

from __future__ import annotations

import inspect
import random
from collections import defaultdict
from dataclasses import dataclass, field

from .messages import _
from .models import CartModel, CounterModel

# First names make the users panel readable; users beyond the list are user-21, user-22...
NAMES = (
    "ana bo chen dara eli femi gus hana ines jo kai lena milo nia omar pia quinn rosa sami tom"
).split()
ITEMS = ("apple", "bread", "cheese", "dates", "eggs", "figs")
ANONYMOUS = "anonymous"  # a request sent from a cell without user=
SHARED = "*"  # the holder key of state that all users share (a counter)


def user_names(count: int) -> list[str]:
    return [NAMES[i] if i < len(NAMES) else f"user-{i + 1}" for i in range(count)]


@dataclass
class Seen:
    """One user's latest look at their state (the answer to a read request)."""

    user: str
    seq: int
    handler: str
    pid: int
    value: object
    expected: object = None
    error: dict | None = None
    judged: bool = True  # False when no model says what the user should see
    holders: frozenset[int] = field(default_factory=frozenset)  # pids that served the writes
    same: bool = True

    @property
    def ok(self) -> bool | None:
        """True: they saw what they should. False: they did not. None: nobody can tell."""
        if not self.judged:
            return None
        return self.error is None and self.same


class Workload:
    """A user's requests to one kind of app, and a model of what a correct app answers.

    ``key`` chooses the wording of the users panel (``cart``, ``count`` or ``state``).
    ``shared`` is True when every user shares one state (a hit counter), so every write
    matters to every user.
    """

    key = "state"
    shared = False
    judged = True
    writes: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    aliases: dict[str, str] = {}  # an app's handler name -> the model's method, if they differ

    def __init__(self, seed: int = 0):
        self.seed = seed
        self.reset()

    def reset(self) -> None:
        """Forget every user: the model starts as an empty app again."""
        self.rng = random.Random(self.seed)
        self.model = self.new_model()
        self.views: dict[str, Seen] = {}
        self.holders: dict[str, set[int]] = defaultdict(set)

    # -- what a subclass provides -------------------------------------------------------
    def new_model(self):
        """An object with one method per write and read handler: a correct app."""
        raise NotImplementedError

    def write(self, user: str) -> tuple[str, dict]:
        """The request ``user`` sends to change their state: (handler, arguments)."""
        raise NotImplementedError

    def read(self, user: str) -> tuple[str, dict]:
        """The request ``user`` sends to look at their state."""
        raise NotImplementedError

    def same(self, value, expected) -> bool:
        return value == expected

    # -- shared machinery ------------------------------------------------------------
    def fits(self, handlers: set[str]) -> bool:
        """Can this workload drive an app that defines ``handlers``?"""
        return set(self.writes[:1]) | set(self.reads[:1]) <= handlers

    def user_of(self, served) -> str:
        return str(served.args.get("user") or served.user or ANONYMOUS)

    def observe(self, served) -> Seen | None:
        """Follow one served request: update the model, or judge what the user saw."""
        user = self.user_of(served)
        holder = SHARED if self.shared else user
        if served.handler in self.writes:
            if served.ok and self._expect(served) is not _INVALID:
                self.holders[holder].add(served.pid)
            return None
        if served.handler not in self.reads:
            return None
        expected = self._expect(served)
        if expected is _INVALID:
            return None
        seen = Seen(
            user=user,
            seq=served.seq,
            handler=served.handler,
            pid=served.pid,
            value=served.value,
            expected=expected,
            error=served.error,
            holders=frozenset(self.holders[holder]),
            same=served.ok and self.same(served.value, expected),
        )
        self.views[user] = seen
        return seen

    def _expect(self, served):
        return _call(self.model, self.aliases.get(served.handler, served.handler), served.args)


_INVALID = object()


def _call(model, handler: str, args: dict):
    """Run the model's version of a request; a request it cannot take changes nothing."""
    try:
        return getattr(model, handler)(**args)
    except (TypeError, ValueError, KeyError):
        return _INVALID


# -- ready workloads ------------------------------------------------------------------------
class Cart(Workload):
    """A shop cart per user: ``add_item(user, item, qty=1)`` and ``get_cart(user)``.

    An app that names them differently says so: ``Cart(add="add", show="show")``.
    """

    key = "cart"

    def __init__(self, seed: int = 0, *, add: str = "add_item", show: str = "get_cart"):
        self.add, self.show = add, show
        self.writes = (add, "remove_item", "clear_cart")
        self.reads = (show,)
        self.aliases = {add: "add_item", show: "get_cart"}
        super().__init__(seed)

    def new_model(self):
        return CartModel()

    def write(self, user):
        return self.add, {"user": user, "item": self.rng.choice(ITEMS)}

    def read(self, user):
        return self.show, {"user": user}


class Counter(Workload):
    """One hit counter for the whole app: ``hit()`` and ``count()``. Every user should
    see every hit, whoever sent it."""

    key = "count"
    shared = True
    writes = ("hit",)
    reads = ("count",)

    def new_model(self):
        return CounterModel()

    def write(self, user):
        return "hit", {}

    def read(self, user):
        return "count", {}

    def same(self, value, expected) -> bool:
        # "3" and b"3" from a Redis GET are the right count for this panel (the exercise
        # checks are stricter about types; here the question is only: was it lost?).
        if isinstance(value, bytes):
            value = value.decode(errors="replace")
        try:
            return int(value) == expected and not isinstance(value, bool)
        except (TypeError, ValueError):
            return False


class Responses(Workload):
    """Any app: every user sends one handler, and the panel lists what each got last.

    Nothing is judged: without a model nobody knows what the user should have seen.
    Required parameters get the user's name (``welcome(name="ana")``) unless given.
    """

    key = "state"
    judged = False

    def __init__(self, handler: str, args: dict | None = None, *, seed: int = 0):
        self.handler = handler
        self.args = dict(args or {})
        self.parameters: list[str] = []
        super().__init__(seed)

    def new_model(self):
        return None

    def fits(self, handlers: set[str]) -> bool:
        return self.handler in handlers

    def write(self, user):
        return self.read(user)

    def read(self, user):
        args = {name: user for name in self.parameters if name not in self.args}
        return self.handler, {**args, **self.args}

    def observe(self, served) -> Seen | None:
        if served.handler != self.handler:
            return None
        seen = Seen(
            user=self.user_of(served),
            seq=served.seq,
            handler=served.handler,
            pid=served.pid,
            value=served.value,
            error=served.error,
            judged=False,
        )
        self.views[seen.user] = seen
        return seen


# -- choosing one --------------------------------------------------------------------------
def app_handlers(cluster) -> dict[str, inspect.Signature]:
    """The functions the app file defines (its handlers), with their signatures.

    Asked of a running process (the parent never imports the app): names and the shape
    of their parameters; defaults stand in as ``...`` (only whether there is one matters).
    """
    for process in cluster.processes:
        found = process.handlers() if process.alive else {}
        if not found:
            continue
        return {
            name: inspect.Signature(
                [
                    inspect.Parameter(
                        parameter,
                        inspect._ParameterKind(kind),
                        default=... if has_default else inspect.Parameter.empty,
                    )
                    for parameter, kind, has_default in parameters
                ]
            )
            for name, parameters in found.items()
        }
    return {}


WORKLOADS = {"cart": Cart, "counter": Counter}


def guess(cluster, seed: int = 0) -> Workload:
    """The ready workload that fits the app's handlers, else :class:`Responses`."""
    handlers = app_handlers(cluster)
    candidates = [Cart(seed), Cart(seed, add="add", show="show"), Counter(seed)]
    for workload in candidates:
        if workload.fits(set(handlers)):
            return workload
    return responses_for(handlers, seed)


def responses_for(handlers: dict[str, inspect.Signature], seed: int = 0) -> Responses:
    """A :class:`Responses` workload for the handler that is easiest to call."""

    def required(signature):
        return [
            p.name
            for p in signature.parameters.values()
            if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        ]

    if not handlers:
        return Responses("main", seed=seed)
    name = min(handlers, key=lambda n: (len(required(handlers[n])), list(handlers).index(n)))
    workload = Responses(name, seed=seed)
    workload.parameters = required(handlers[name])
    return workload


def resolve(workload, cluster, seed: int = 0) -> Workload:
    """A Workload from what the caller gave: an instance, a name ("cart"), or None (guess)."""
    if workload is None:
        return guess(cluster, seed)
    if isinstance(workload, str):
        if workload not in WORKLOADS:
            raise ValueError(
                _("dashboard.error.unknown_workload", workload=workload, known=sorted(WORKLOADS))
            )
        return WORKLOADS[workload](seed)
    return workload
