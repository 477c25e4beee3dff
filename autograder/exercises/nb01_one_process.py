"""01-one-process: what a restart does to a stateful script, and a first counter in Redis."""

from __future__ import annotations

import random

from ..models import CounterModel  # shared with the dashboard's Counter workload
from ..problem import AppExercise, Prediction, whole_number
from ..registry import bind_exercises
from ..scenario import WRONG_RESPONSE
from ..steps import Action, Phase, Request, Scenario

predict_global_restart = Prediction(
    solution_cell="predict_global_restart",
    variable="global_after_restart",
    answer=1,
    normalise=whole_number,
)

predict_file_restart = Prediction(
    solution_cell="predict_file_restart",
    variable="file_after_restart",
    answer=1,
    normalise=whole_number,
)


def counter_diagnose(served, expected, *, first_visit: bool):
    """The right number as the wrong type ("3" or b"3" from GET) is a wrong response,
    whichever process served it: without this, a str served after a restart would be
    blamed on lost state, which is not the learner's mistake."""
    value = served.value
    if value is None or type(value) is type(expected) or isinstance(value, bool):
        return None
    try:
        return WRONG_RESPONSE if int(value) == expected else None
    except (TypeError, ValueError):
        return None


def _hits(n: int) -> list[Request]:
    return [Request("hit") for _ in range(n)]


def restarts_plan(seed: int) -> Scenario:
    """One process: restarts (graceful) and kills (no warning) between hits."""
    rng = random.Random(seed)
    steps = [Request("count"), *_hits(rng.randint(2, 4)), Action("restart"), Request("count")]
    steps += [*_hits(rng.randint(1, 3)), Action("kill", 0), Request("count"), *_hits(2)]
    for _ in range(rng.randint(1, 3)):
        steps += [Action(rng.choice(["restart", "kill"]), 0), *_hits(rng.randint(1, 3))]
    steps.append(Request("count"))
    return Scenario([Phase(1, "round-robin", steps)], seed=seed)


def processes_plan(seed: int) -> Scenario:
    """Three processes round-robin, then random routing with kills and scaling."""
    rng = random.Random(seed)
    first = Phase(3, "round-robin", [*_hits(6), Request("count"), Request("count")])
    steps = []
    for _ in range(4):
        steps += _hits(rng.randint(2, 5))
        steps.append(
            rng.choice(
                [
                    Action("kill", rng.randrange(3)),
                    Action("scale", 5),
                    Action("rolling"),
                    Action("scale", 2),
                ]
            )
        )
        steps.append(Request("count"))
    second = Phase(3, "random", steps)
    return Scenario([first, second], seed=seed)


counter_redis_app = AppExercise(
    solution_cell="counter_redis_app",
    app_file="counter_redis.py",
    plans={"survives_restarts": restarts_plan, "shared_by_processes": processes_plan},
    model=CounterModel,
    diagnose=counter_diagnose,
)

bind_exercises(globals(), [predict_global_restart, predict_file_restart, counter_redis_app])
