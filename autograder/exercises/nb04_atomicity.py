"""04-atomicity: lost updates between processes, checked with real OS processes.

The checks are the race engine's (:mod:`autograder.races`): each part's plan runs the
learner's app file in several real processes of the platform, each with its own redis-py
client and connection to the checker's Redis. Races pause one request right after a
chosen read (or write) while other processes run whole requests, so a read-modify-write
answer loses the update on every run, not by luck; loads make every process hammer the
app at once, and the audits below check that the totals add up (nothing oversold,
nothing lost).

This module holds only the course's side: the models of a correct poll and ticket shop,
the plans, the audits of the loads, the diagnoses and the reasons they name.
"""

from __future__ import annotations

import random

from ..messages import _
from ..pause import NthRead, NthWrite
from ..problem import AppExercise
from ..races import Call, Fresh, Hammer, Plan, Race, Replay, race_check, same
from ..registry import bind_exercises
from ..result import INCORRECT, Result

VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2, 3)

# Reason codes of this notebook (messages: reason.<code> and next.<code> in nb04.py).
OVERSOLD = "oversold"
LOST_UPDATE = "lost_update"
GAVE_UP = "gave_up"
# Refused while another request held more tickets than there were, before giving them back
# (decrement first, give back if below zero): the refusal rests on a number that was never
# true, so it is wrong, not a trade-off.
REFUSED_WHILE_OVERDRAWN = "refused_while_overdrawn"


def _incorrect(replay: Replay, reason: str, saw, expected, **values) -> Result:
    return Result(
        INCORRECT,
        reason,
        summary=_(f"04-atomicity.audit.{reason}", **values),
        platform=replay.log[-14:],
        saw=repr(saw),
        expected=repr(expected),
        next_step=_(f"next.{reason}"),
        **replay.base,
    )


# == q1: a poll that counts every vote =========================================================
POLLS = ["lunch", "colour", "editor", "pets"]
OPTIONS = {
    "lunch": ["pizza", "soup", "salad"],
    "colour": ["red", "green", "blue"],
    "editor": ["vim", "emacs", "vscode"],
    "pets": ["cats", "dogs"],
}


class PollModel:
    def __init__(self):
        self.counts: dict[str, dict[str, int]] = {}

    def vote(self, poll, option):
        poll_counts = self.counts.setdefault(poll, {})
        poll_counts[option] = poll_counts.get(option, 0) + 1
        return poll_counts[option]

    def results(self, poll):
        return dict(self.counts.get(poll, {}))


def votes_race_plan(seed: int) -> Plan:
    rng = random.Random(seed)
    poll, other = rng.sample(POLLS, 2)
    a, b = OPTIONS[poll][:2]
    steps: list = [
        Call("results", {"poll": poll}, 0),
        Call("vote", {"poll": poll, "option": a}, 0),
        Call("vote", {"poll": poll, "option": b}, 0),
        Call("results", {"poll": poll}, 0),
        Call("vote", {"poll": poll, "option": a}, 1),
        Call("vote", {"poll": poll, "option": b}, 2),
        Call("results", {"poll": poll}, 1),
        Call("results", {"poll": other}, 2),
        # Two processes vote for the same option: A reads, B votes, A writes.
        Race(
            Call("vote", {"poll": poll, "option": a}, 0),
            [Call("vote", {"poll": poll, "option": a}, 1)],
        ),
        Call("results", {"poll": poll}, 2),
        Race(
            Call("vote", {"poll": poll, "option": b}, 1),
            [
                Call("vote", {"poll": poll, "option": b}, 2),
                Call("vote", {"poll": poll, "option": a}, 0),
            ],
        ),
        Call("results", {"poll": poll}, 0),
    ]
    if seed not in VISIBLE_SEEDS:
        steps += [
            Race(
                Call("vote", {"poll": other, "option": OPTIONS[other][0]}, 2),
                [Call("vote", {"poll": other, "option": OPTIONS[other][0]}, w) for w in (0, 1, 0)],
                pause_after=NthRead(rng.choice([1, 2])),
            ),
            Call("results", {"poll": other}, 1),
        ]
    return Plan(steps, workers=3)


def _votes_audit(poll: str, workers: int, times: int):
    def audit(results, replay: Replay):
        call = Call("results", {"poll": poll}, 0)
        reply = replay.call(call)
        replay.done(call, reply)
        if reply.error:
            return replay.error_result(call, reply)
        expected = {option: 0 for option in OPTIONS[poll][:workers]}
        for index in range(workers):
            option = OPTIONS[poll][index % len(OPTIONS[poll])]
            expected[option] = expected.get(option, 0) + times
        expected = {k: v for k, v in expected.items() if v}
        if same(reply.value, expected):
            return None
        return _incorrect(replay, LOST_UPDATE, reply.value, expected, votes=workers * times)

    return audit


def votes_load_plan(seed: int) -> Plan:
    """Real concurrency first, then one paused race, so that a racy answer fails this part
    every time even when the load happened to spare it."""
    hidden = seed not in VISIBLE_SEEDS
    workers, times = (5, 30) if hidden else (4, 25)
    poll, other = random.Random(seed).sample(["lunch", "colour", "editor"], 2)
    args = [{"poll": poll, "option": OPTIONS[poll][i % len(OPTIONS[poll])]} for i in range(workers)]
    option = OPTIONS[other][0]
    return Plan(
        [
            Hammer("vote", args, times, _votes_audit(poll, workers, times)),
            Race(_vote(other, option, 1), [_vote(other, option, 2)]),
            Call("results", {"poll": other}, 0),
        ],
        workers=workers,
    )


def _vote(poll, option, worker):
    return Call("vote", {"poll": poll, "option": option}, worker)


def votes_diagnose(served, expected, *, first_visit: bool = False) -> str | None:
    saw = served.value
    if served.handler == "vote" and _numbers(saw, expected):
        return LOST_UPDATE
    if served.handler == "results" and _less(saw, expected):
        return LOST_UPDATE
    return None


def _less(saw, expected) -> bool:
    if isinstance(saw, int) and isinstance(expected, int) and not isinstance(saw, bool):
        return saw < expected
    if isinstance(saw, dict) and isinstance(expected, dict):
        try:
            return sum(int(v) for v in saw.values()) < sum(expected.values())
        except (TypeError, ValueError):
            return False
    return False


# == q2: tickets that are never oversold =======================================================
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
                "04-atomicity.platform.tally",
                sold=sold,
                attempts=attempts,
                tickets=tickets,
                left=got[None],
            )
        )
        if sold > tickets or (isinstance(got[None], int) and got[None] < 0):
            return _incorrect(replay, OVERSOLD, sold, tickets, sold=sold, tickets=tickets)
        expected = {"remaining": tickets - sold, **wins}
        saw = {"remaining": got[None], **{u: got[u] for u in users}}
        if sold < min(tickets, attempts) or not same(saw, expected):
            return _incorrect(replay, LOST_UPDATE, saw, expected, votes=attempts)
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
    if handler in ("remaining", "reservations", "cancel") and _numbers(saw, expected):
        return LOST_UPDATE
    return None


def _numbers(saw, expected) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in (saw, expected))


poll_app = AppExercise(
    engine=race_check,
    solution_cell="poll_app",
    app_file="poll.py",
    plans={"votes_race": votes_race_plan, "votes_under_load": votes_load_plan},
    model=PollModel,
    diagnose=votes_diagnose,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

tickets_app = AppExercise(
    engine=race_check,
    solution_cell="tickets_app",
    app_file="tickets.py",
    plans={
        "never_oversells": oversell_plan,
        "never_loses_reservations": lost_plan,
        "tickets_under_load": load_plan,
    },
    model=TicketModel,
    diagnose=tickets_diagnose,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

bind_exercises(globals(), [poll_app, tickets_app])
