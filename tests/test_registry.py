"""The exercise registry: one declaration per notebook, validated when it is bound."""

from __future__ import annotations

import pytest

from autograder import course_map, registry
from autograder.problem import AppExercise, Prediction
from autograder.registry import DeclarationError, bind_exercises

NB01 = "autograder.exercises.nb01_one_process"


def _nb01(order=(0, 1, 2), *, parts=("survives_restarts", "shared_by_processes")):
    """Fresh exercises shaped like 01-one-process's, in the given order."""
    cells = ["predict_global_restart", "predict_file_restart", "counter_redis_app"]
    made = [
        Prediction(solution_cell=cells[0], variable="global_after_restart", answer=1),
        Prediction(solution_cell=cells[1], variable="file_after_restart", answer=1),
        AppExercise(
            solution_cell=cells[2], app_file="counter_redis.py", plans=dict.fromkeys(parts)
        ),
    ]
    return [made[i] for i in order]


def test_binding_names_exercises_by_position_and_derives_the_rest():
    namespace = {"__name__": NB01}
    declared = _nb01()
    bind_exercises(namespace, declared)
    assert namespace["__all__"] == ["q1", "q2", "q3"]
    assert [namespace[n] for n in ("q1", "q2", "q3")] == declared
    q3 = namespace["q3"]
    assert (q3.notebook, q3.name, q3.module) == ("01-one-process", "q3", NB01)
    assert q3.hints == [f"01-one-process.q3.hint.{n}" for n in (1, 2, 3)]


def test_exercises_in_another_order_than_the_answer_cells_fail_at_binding():
    with pytest.raises(DeclarationError, match="answer cells in 01-one-process.ipynb"):
        bind_exercises({"__name__": NB01}, _nb01((1, 0, 2)))


def test_a_part_no_graded_cell_checks_fails_at_binding():
    parts = ("survives_restarts", "shared_by_processes", "forgotten")
    with pytest.raises(DeclarationError, match="no graded cell checks q3/forgotten"):
        bind_exercises({"__name__": NB01}, _nb01(parts=parts))


def test_a_graded_cell_that_checks_an_undeclared_part_fails_at_binding():
    with pytest.raises(DeclarationError, match="checks q3/shared_by_processes: not declared"):
        bind_exercises({"__name__": NB01}, _nb01(parts=("survives_restarts",)))


def test_an_exercise_without_its_messages_fails_at_binding():
    extra = Prediction(solution_cell="nowhere", variable="x", answer=1)
    with pytest.raises(DeclarationError) as failure:
        bind_exercises({"__name__": NB01}, [*_nb01(), extra])
    text = str(failure.value)
    assert "no message '01-one-process.q4.title'" in text
    assert "q4 has 0 hint(s)" in text
    assert "01-one-process.q4.retry" in text


def test_a_module_name_that_names_no_notebook_is_refused():
    with pytest.raises(DeclarationError, match="nbNN_slug"):
        bind_exercises({"__name__": "autograder.exercises.counter"}, [])


def test_a_failed_binding_leaves_the_registry_as_it_was():
    before = registry.exercises("01-one-process")
    with pytest.raises(DeclarationError):
        bind_exercises({"__name__": NB01}, _nb01((2, 1, 0)))
    assert registry.exercises("01-one-process") == before


def test_every_available_notebook_has_its_exercise_module_and_no_other():
    assert list(registry.modules()) == course_map.available()


def test_every_registered_exercise_is_what_its_module_exports():
    from importlib import import_module

    for notebook, module_name in registry.modules().items():
        module = import_module(module_name)
        bound = registry.exercises(notebook)
        assert bound, notebook
        assert [getattr(module, name) for name in module.__all__] == list(bound)
