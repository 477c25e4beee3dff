"""A small exercise used only by the tests of the check machinery itself.

It is not in the registry (it serves no notebook), so it says by hand where the checker
process finds it;
tests put the repository on PYTHONPATH for that.
"""

from autograder.problem import AppExercise, Prediction
from autograder.steps import Action, Phase, Request, Scenario


class CounterModel:
    def __init__(self):
        self.n = 0

    def hit(self):
        self.n += 1
        return self.n


def plan(seed):
    steps = [Request("hit"), Request("hit"), Action("restart"), Request("hit"), Request("hit")]
    return Scenario([Phase(2, "round-robin", steps)], seed=seed)


counter = AppExercise(
    notebook="01-one-process",
    name="q3",
    module=__name__,
    attribute="counter",
    hints=["01-one-process.q3.hint.1", "01-one-process.q3.hint.2"],
    app_file="counter.py",
    plans={"counts": plan},
    model=CounterModel,
    seeds_hidden=(2, 3),
)

quick = AppExercise(
    notebook="01-one-process",
    name="q3",
    module=__name__,
    attribute="quick",
    app_file="counter.py",
    plans={"counts": plan},
    model=CounterModel,
    budget_seconds=4,
)

guess = Prediction(
    notebook="00-start-here",
    name="q2",
    module=__name__,
    attribute="guess",
    variable="fourth_request_shows",
    answer=2,
    normalise=int,
)
