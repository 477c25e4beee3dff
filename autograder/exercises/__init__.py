"""One module per notebook, holding that notebook's exercises.

``from autograder.exercises.nb01_one_process import q1, q2, q3`` in a notebook gives the
learner ``q1.check()``, ``q1.hint()`` and ``q1.solution()``. A module is found by its name
(``nbNN_slug`` serves ``NN-slug``) and ends with ``bind_exercises(globals(), [...])``:
see :mod:`autograder.registry`. There is no list of modules to keep up to date.
"""
