"""04-atomicity: lost updates between processes, checked with real OS processes.

The checks are the race engine's (:mod:`autograder.races`): each part's plan runs the
learner's app file in several real processes of the platform, each with its own redis-py
client and connection to the checker's Redis. Races pause one request right after a
chosen read (or write) while other processes run whole requests, so a read-modify-write
answer loses the update on every run, not by luck; loads make every process hammer the
app at once, and the audits below check that the totals add up (nothing oversold,
nothing lost).

This package holds only the course's side: the models of a correct poll and ticket shop,
the plans, the audits of the loads, the diagnoses and the reasons they name.

The package: ``common`` (seeds, reason codes, an audit's Result), ``polls`` (q1),
``tickets`` (q2); the exercises are declared here.
"""

from __future__ import annotations

from ...problem import AppExercise
from ...races import race_check
from ...registry import bind_exercises
from .common import HIDDEN_SEEDS, VISIBLE_SEEDS
from .polls import PollModel, votes_diagnose, votes_load_plan, votes_race_plan
from .tickets import TicketModel, load_plan, lost_plan, oversell_plan, tickets_diagnose

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
