"""00-start-here: a first app on the platform, and a first prediction."""

from __future__ import annotations

from ..problem import AppExercise, Prediction
from ..scenario import Action, Phase, Request, Scenario

NOTEBOOK = "00-start-here"
NAMES = ["Ada", "Grace", "Linus", "Margaret", "Guido", "Barbara", "Ken", "Frances"]


class HelloModel:
    """What a correct hello app answers."""

    def hello(self, name):
        return f"Hello, {name}!"


def hello_plan(seed: int) -> Scenario:
    names = NAMES[seed % len(NAMES) :] + NAMES[: seed % len(NAMES)]
    steps = [Request("hello", {"name": n}) for n in names[:3]]
    steps += [Action("restart"), *(Request("hello", {"name": n}) for n in names[3:6])]
    return Scenario([Phase(2, "round-robin", steps)], seed=seed, stores_state=False)


q1 = AppExercise(
    notebook=NOTEBOOK,
    name="q1",
    hints=[f"{NOTEBOOK}.q1.hint.1", f"{NOTEBOOK}.q1.hint.2"],
    solution_cell="hello_app",
    app_file="hello.py",
    plans={"greets_everyone": hello_plan},
    model=HelloModel,
)

q2 = Prediction(
    notebook=NOTEBOOK,
    name="q2",
    hints=[f"{NOTEBOOK}.q2.hint.1", f"{NOTEBOOK}.q2.hint.2"],
    solution_cell="predict_fourth_request",
    variable="fourth_request_shows",
    answer=2,
    normalise=int,
)

__all__ = ["q1", "q2"]
