"""q2 of 04: tickets that are never oversold (the model, plans, audit and diagnosis)."""

from __future__ import annotations

import random

from ...messages import _
from ...pause import NthRead, NthWrite
from ...races import Call, Fresh, Hammer, Plan, Race, Replay, same
from .common import (
    GAVE_UP,
    LOST_UPDATE,
    OVERSOLD,
    REFUSED_WHILE_OVERDRAWN,
    VISIBLE_SEEDS,
    incorrect,
    numbers,
)

USERS = ["ana", "bo", "chen", "dara", "eli", "femi"]


class TicketModel:
    def __init__(self):
        self.left = 0
        self.held: dict[str, int] = {}

    def open_sales(self, tickets):
        self.left = tickets

    def reserve(self, user, qty):
        if qty > self.left:
            return False
        self.left -= qty
        self.held[user] = self.held.get(user, 0) + qty
        return True

    def cancel(self, user):
        qty = self.held.pop(user, 0)
        self.left += qty
        return qty

    def remaining(self):
        return self.left

    def reservations(self, user):
        return self.held.get(user, 0)


def _reserve(user, qty, worker):
    return Call("reserve", {"user": user, "qty": qty}, worker)


def _audit_calls(users, worker=2) -> list:
    return [Call("remaining", {}, worker)] + [
        Call("reservations", {"user": u}, worker) for u in users
    ]


def _open(tickets, worker=2) -> list:
    return [Fresh(), Call("open_sales", {"tickets": tickets}, worker)]


def tickets_logic(users) -> list:
    """The rules, one request at a time: first in one process, then spread over three."""
    a, b = users[:2]
    one = [
        *_open(5, 0),
        Call("remaining", {}, 0),
        _reserve(a, 2, 0),
        Call("remaining", {}, 0),
        _reserve(b, 4, 0),
        Call("reservations", {"user": b}, 0),
        _reserve(b, 3, 0),
        Call("remaining", {}, 0),
        _reserve(a, 1, 0),
        Call("reservations", {"user": a}, 0),
        Call("cancel", {"user": a}, 0),
        Call("remaining", {}, 0),
        Call("reservations", {"user": a}, 0),
        Call("cancel", {"user": a}, 0),
        _reserve(a, 2, 0),
        Call("remaining", {}, 0),
    ]
    spread = [
        *_open(4, 0),
        Call("remaining", {}, 1),
        _reserve(a, 3, 2),
        Call("remaining", {}, 0),
        _reserve(b, 2, 1),
        Call("reservations", {"user": a}, 1),
        Call("cancel", {"user": a}, 0),
        Call("remaining", {}, 2),
        _reserve(b, 2, 1),
        Call("reservations", {"user": b}, 0),
    ]
    return one + spread


def every_shape(a, b, c) -> list:
    """One race of each kind, in every part: a racy answer fails each part every time."""
    return [
        # The last ticket: A has read "1 left" when B takes it.
        *_open(1),
        Race(_reserve(c, 1, 0), [_reserve(b, 1, 1)]),
        *_audit_calls([b, c]),
        # Plenty left, the same user twice at once: both count, nobody is refused.
        *_open(5),
        Race(_reserve(a, 2, 1), [_reserve(a, 1, 2)]),
        # Two cancels at once: the tickets come back once.
        Race(Call("cancel", {"user": a}, 2), [Call("cancel", {"user": a}, 0)]),
        *_audit_calls([a]),
    ]


def oversell_plan(seed: int) -> Plan:
    rng = random.Random(seed)
    a, b, c = rng.sample(USERS, 3)
    steps = tickets_logic([a, b])
    # The last ticket: A reads "1 left" and pauses; B takes it; A goes on.
    steps += [*_open(1), Race(_reserve(a, 1, 0), [_reserve(b, 1, 1)]), *_audit_calls([a, b])]
    # 3 left, both want 2.
    steps += [*_open(3), Race(_reserve(b, 2, 1), [_reserve(a, 2, 0)]), *_audit_calls([a, b])]
    if seed not in VISIBLE_SEEDS:
        steps += [
            *_open(2),
            Race(
                _reserve(c, 2, 2),
                [_reserve(a, 1, 0), _reserve(b, 1, 1)],
                pause_after=NthRead(rng.choice([1, 2])),
            ),
            *_audit_calls([a, b, c], 1),
            *_open(4),
            _reserve(a, 1, 0),
            Race(_reserve(b, 3, 1), [_reserve(c, 3, 2)], pause_after=NthRead(2)),
            Race(_reserve(c, 3, 0), [_reserve(a, 2, 1)], pause_after=NthRead(1)),
            *_audit_calls([a, b, c]),
        ]
    # 2 left: A asks for 3 and pauses right after its first write; B wants 1. There are
    # never fewer than 2 tickets, so B must get one (decrement-first refuses B wrongly).
    steps += [
        *_open(2),
        Race(
            _reserve(a, 3, 0),
            [_reserve(b, 1, 1)],
            pause_after=NthWrite(1),
            reasons={GAVE_UP: REFUSED_WHILE_OVERDRAWN},
        ),
        *_audit_calls([a, b]),
    ]
    steps += every_shape(a, b, c)
    return Plan(steps, workers=3)


def lost_plan(seed: int) -> Plan:
    rng = random.Random(seed)
    a, b, c = rng.sample(USERS, 3)
    steps = [
        # Plenty of tickets, the same user from two processes: both reservations count.
        *_open(10),
        Race(_reserve(a, 1, 0), [_reserve(a, 2, 1)]),
        *_audit_calls([a]),
        Race(_reserve(a, 1, 1), [_reserve(a, 1, 2)], pause_after=NthRead(2)),
        *_audit_calls([a]),
        # Two users at once: the stock goes down by both.
        Race(_reserve(b, 2, 2), [_reserve(c, 1, 0)]),
        *_audit_calls([a, b, c], 1),
        # A cancel and a new reservation of the same user at once.
        Race(Call("cancel", {"user": a}, 0), [_reserve(a, 1, 1)]),
        *_audit_calls([a, b, c]),
        # Two cancels at once: the tickets come back once.
        Race(Call("cancel", {"user": b}, 1), [Call("cancel", {"user": b}, 2)]),
        *_audit_calls([a, b, c]),
    ]
    if seed not in VISIBLE_SEEDS:
        steps += [
            *_open(6),
            Race(
                _reserve(a, 2, 0),
                [_reserve(a, 1, 1), _reserve(b, 1, 2), _reserve(a, 1, 1)],
                pause_after=NthRead(rng.choice([1, 2])),
            ),
            *_audit_calls([a, b]),
            Race(
                Call("cancel", {"user": a}, 2),
                [Call("cancel", {"user": a}, 0)],
                pause_after=NthRead(2),
            ),
            *_audit_calls([a, b]),
        ]
    steps += every_shape(a, b, c)
    return Plan(steps, workers=3)


def _tickets_audit(users: list[str], tickets: int, times: int):
    def audit(results, replay: Replay):
        got = {}
        for user in [None, *users]:
            call = (
                Call("remaining", {}, 0)
                if user is None
                else Call("reservations", {"user": user}, 0)
            )
            reply = replay.call(call)
            replay.done(call, reply)
            if reply.error:
                return replay.error_result(call, reply)
            got[user] = reply.value
        wins = {u: sum(1 for r in results[i] if r) for i, u in enumerate(users)}
        sold = sum(wins.values())
        attempts = len(users) * times
        replay.log.append(
            _(
                "04-atomicity.tally",
                sold=sold,
                attempts=attempts,
                tickets=tickets,
                left=got[None],
            )
        )
        if sold > tickets or (isinstance(got[None], int) and got[None] < 0):
            return incorrect(replay, OVERSOLD, sold, tickets, sold=sold, tickets=tickets)
        expected = {"remaining": tickets - sold, **wins}
        saw = {"remaining": got[None], **{u: got[u] for u in users}}
        if sold < min(tickets, attempts) or not same(saw, expected):
            return incorrect(replay, LOST_UPDATE, saw, expected, votes=attempts)
        return None

    return audit


def load_plan(seed: int) -> Plan:
    """Real concurrency first (a sell-out), then one race of each shape, so that a racy
    answer fails this part every time even when the load happened to spare it."""
    hidden = seed not in VISIBLE_SEEDS
    workers, times = (5, 12) if hidden else (4, 12)
    rng = random.Random(seed)
    users = rng.sample(USERS, workers)
    a, b = users[:2]
    tickets = workers * times * 2 // 3  # more buyers than tickets: a sell-out
    args = [{"user": u, "qty": 1} for u in users]
    return Plan(
        [
            Call("open_sales", {"tickets": tickets}, 0),
            Hammer("reserve", args, times, _tickets_audit(users, tickets, times)),
            *every_shape(a, b, users[2]),
        ],
        workers=workers,
    )


def tickets_diagnose(served, expected, *, first_visit: bool = False) -> str | None:
    saw, handler = served.value, served.handler
    if handler == "reserve" and saw in (True, 1) and expected is False:
        return OVERSOLD
    if handler == "reserve" and saw in (False, 0) and expected is True:
        return GAVE_UP
    if handler == "remaining" and isinstance(saw, int) and saw < 0:
        return OVERSOLD
    if handler in ("remaining", "reservations", "cancel") and numbers(saw, expected):
        return LOST_UPDATE
    return None
