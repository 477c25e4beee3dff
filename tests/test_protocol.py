"""What an app process sends is data, never code: the parent's reader refuses the rest."""

from __future__ import annotations

import collections
import datetime
import os
import pickle

import pytest

from autograder import protocol
from autograder.http import HttpResponse, SetCookie


class MadeByTheApp:
    def __repr__(self) -> str:
        return "<MadeByTheApp 7>"


class RunsCode:
    def __reduce__(self):
        return os.system, ("echo pwned > /tmp/autograder-protocol-pwned",)


@pytest.mark.parametrize(
    "value",
    [
        None,
        (1, "two", b"three", 4.5, True),
        {"a": [1, 2, {3}], "b": frozenset({4})},
        collections.OrderedDict(a=1),
        collections.Counter("aab"),
        datetime.datetime(2026, 1, 2, 3, 4, 5),
        HttpResponse(200, "ok", None, {"Content-Type": "text/plain"}, [SetCookie("sid", "x")]),
    ],
)
def test_plain_data_crosses_unchanged(value):
    assert protocol.loads(protocol.dumps(("done", value))) == ("done", value)


def test_an_object_of_the_apps_own_class_crosses_as_its_repr():
    reply = protocol.loads(protocol.dumps(("done", [MadeByTheApp()])))
    assert repr(reply[1][0]) == "<MadeByTheApp 7>"
    assert isinstance(reply[1][0], protocol.Foreign)


def test_a_pickle_that_would_run_code_is_refused_unread():
    hostile = pickle.dumps(("done", RunsCode()))
    with pytest.raises(protocol.BadReply):
        protocol.loads(hostile)
    assert not os.path.exists("/tmp/autograder-protocol-pwned")


@pytest.mark.parametrize("name", [("builtins", "eval"), ("os", "system"), ("tests", "x")])
def test_no_reply_may_name_a_function_or_module(name):
    module, attribute = name
    crafted = b"\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00\x8c" + bytes([len(module)])
    crafted += module.encode() + b"\x8c" + bytes([len(attribute)]) + attribute.encode()
    crafted += b"\x93."  # STACK_GLOBAL, STOP
    with pytest.raises(protocol.BadReply):
        protocol.loads(crafted)


def test_output_is_clipped_before_it_crosses():
    text = protocol.clip_output("x" * (protocol.MAX_OUTPUT_CHARS + 10))
    assert text.endswith("(10 more characters)")
