"""00-start-here: a first app on the platform, and a first prediction."""

from __future__ import annotations

import random

from ..problem import AppExercise, Prediction, whole_number
from ..registry import bind_exercises
from ..scenario import RETURNED_NONE, WRONG_RESPONSE
from ..steps import Action, Phase, Request, Scenario

NAMES = ["Ada", "Grace", "Linus", "Margaret", "Guido", "Barbara", "Ken", "Frances"]
# Hidden checks also greet names a hard-coded or title-cased answer gets wrong.
MORE_NAMES = ["Zoë", "Jan Novák", "bob", "O'Neil"]
VISIBLE_SEEDS = (1,)


class HelloModel:
    """What a correct hello app answers."""

    def hello(self, name):
        return f"Hello, {name}!"


def hello_plan(seed: int) -> Scenario:
    """Visible: 2 processes, round-robin, one restart. Hidden: 3 processes, random
    routing, a restart and a kill, and a few less ordinary names."""
    rng = random.Random(seed)
    if seed in VISIBLE_SEEDS:
        names = NAMES[seed % len(NAMES) :] + NAMES[: seed % len(NAMES)]
        steps = [Request("hello", {"name": n}) for n in names[:3]]
        steps += [Action("restart"), *(Request("hello", {"name": n}) for n in names[3:6])]
        return Scenario([Phase(2, "round-robin", steps)], seed=seed, stores_state=False)
    names = rng.sample(NAMES, 5) + rng.sample(MORE_NAMES, 3)
    rng.shuffle(names)
    greet = [Request("hello", {"name": n}) for n in names]
    steps = [*greet[:3], Action("restart"), *greet[3:6], Action("kill", rng.randrange(3))]
    steps += greet[6:]
    return Scenario([Phase(3, "random", steps)], seed=seed, stores_state=False)


def hello_diagnose(served, expected, *, first_visit: bool):
    """A greeting app keeps no state, so a wrong answer is just wrong, never "state lost";
    the one mistake worth naming is printing the greeting instead of returning it."""
    return RETURNED_NONE if served.value is None else WRONG_RESPONSE


hello_app = AppExercise(
    solution_cell="hello_app",
    app_file="hello.py",
    plans={"greets_everyone": hello_plan},
    model=HelloModel,
    diagnose=hello_diagnose,
    seeds_visible=VISIBLE_SEEDS,
)

predict_fourth_request = Prediction(
    solution_cell="predict_fourth_request",
    variable="fourth_request_shows",
    answer=2,
    normalise=whole_number,
)

bind_exercises(globals(), [hello_app, predict_fourth_request])
