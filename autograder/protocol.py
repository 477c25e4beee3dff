"""The messages between the platform (parent) and one app process (child).

The parent sends plain tuples whose first item names the request; the child answers
with a tuple whose first item names the reply:

=============================  ===========================================================
parent sends                   child answers
=============================  ===========================================================
(started)                      ``("started", output)`` or ``("crashed", error, output)``
``("call", handler, args, p)`` ``("paused", names, sent)`` (only when ``p`` is set), then
                               ``("done", value, error, output, violations, names, sent)``
                               (``names``: the Redis commands so far, ``sent``: the
                               same with their keys, "GET stock"; see pause.py)
``("wsgi", method, path,       the same, ``value`` is an :class:`~autograder.http.HttpResponse`
cookies, form, json, p)``
``("hammer", handler, args,    ``("armed",)``, then (after ``("go",)``) ``handler(**args)``
times)``                       ``times`` times: ``("done", values, first_error, ...)``
``("resume",)``                (to a paused child) it runs on and answers ``("done", ...)``
``("abandon",)``               (to a paused child) the request unwinds: ``("abandoned",)``
``("memory", limit)``          ``("memory", {name: repr})``: its globals, for the dashboard
``("handlers",)``              ``("handlers", {name: [(parameter, kind, has_default)]})``
``("stop",)``                  runs ``on_shutdown()``: ``("stopped", error, output)``, exits
=============================  ===========================================================

A kill is no message: the parent sends SIGKILL to the child's process group.

The child runs the learner's code, so everything it sends is untrusted. The parent reads
it with :func:`loads`, which refuses any class outside a short list of plain data types:
a reply can never make the judge import learner code or call a function. The child
writes with :func:`dumps`, which turns an object the parent would refuse (an instance of
a class defined in the app) into :class:`Foreign`, its ``repr``.
"""

from __future__ import annotations

import io
import pickle

# Largest reply the parent reads; an app that answers more is stopped (it floods the pipe).
MAX_REPLY_BYTES = 16 * 1024 * 1024
# What the app printed is clipped to this much before it crosses the pipe.
MAX_OUTPUT_CHARS = 64 * 1024

_SAFE = {
    "builtins": {
        "set",
        "frozenset",
        "bytearray",
        "complex",
        "slice",
        "range",
        "list",
        "dict",
        "tuple",
        "str",
        "bytes",
        "int",
        "float",
        "bool",
        "object",
    },
    "collections": {"OrderedDict", "defaultdict", "Counter", "deque"},
    "datetime": {"date", "datetime", "time", "timedelta", "timezone"},
    "decimal": {"Decimal"},
    "fractions": {"Fraction"},
    "uuid": {"UUID", "SafeUUID"},
    "enum": {"Enum"},
    "autograder.http": {"HttpResponse", "SetCookie"},
    "autograder.protocol": {"Foreign"},
    "copyreg": {"_reconstructor"},
}


class Foreign:
    """A value the app returned that only exists in its own process (an instance of a
    class it defined, a generator, a connection): what the user saw is its ``repr``."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other) -> bool:
        return isinstance(other, Foreign) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def _is_safe_type(kind: type) -> bool:
    return kind.__qualname__ in _SAFE.get(kind.__module__, ())


class _ChildPickler(pickle.Pickler):
    def reducer_override(self, obj):
        if isinstance(obj, type):  # a class as a value
            return NotImplemented if _is_safe_type(obj) else (Foreign, (_repr(obj),))
        if _is_safe_type(type(obj)) or type(obj).__qualname__ in _PLAIN:
            return NotImplemented
        return Foreign, (_repr(obj),)


# Values pickle writes with opcodes of their own (they never name a class).
_PLAIN = {"NoneType", "ellipsis", "NotImplementedType"}


def _repr(obj) -> str:
    try:
        text = repr(obj)
    except Exception:  # noqa: BLE001 -- a broken __repr__ is the app's, not ours
        text = f"<{type(obj).__name__} object>"
    return text if len(text) < 2000 else text[:2000] + "..."


def dumps(message) -> bytes:
    """Child side: serialise a reply, replacing what the parent would refuse."""
    buffer = io.BytesIO()
    _ChildPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(message)
    return buffer.getvalue()


class _ParentUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if name in _SAFE.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"a reply may not name {module}.{name}")


class BadReply(Exception):
    """The child sent something that is not a reply (a broken or hostile process)."""


def loads(data: bytes):
    """Parent side: read a reply from a child without ever running its code."""
    try:
        return _ParentUnpickler(io.BytesIO(data)).load()
    except Exception as exc:  # noqa: BLE001 -- whatever it is, it is not a reply
        raise BadReply(str(exc)[:200]) from None


def clip_output(text: str) -> str:
    if len(text) <= MAX_OUTPUT_CHARS:
        return text
    return text[:MAX_OUTPUT_CHARS] + f"\n... ({len(text) - MAX_OUTPUT_CHARS} more characters)"
