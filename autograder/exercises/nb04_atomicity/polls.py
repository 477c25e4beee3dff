"""q1 of 04: a poll that counts every vote (its model, plans, audit and diagnosis)."""

from __future__ import annotations

import random

from ...pause import NthRead
from ...races import Call, Hammer, Plan, Race, Replay, same
from .common import LOST_UPDATE, VISIBLE_SEEDS, incorrect, numbers

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
        return incorrect(replay, LOST_UPDATE, reply.value, expected, votes=workers * times)

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
    if served.handler == "vote" and numbers(saw, expected):
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
