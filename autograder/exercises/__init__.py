"""One module per notebook, holding that notebook's exercises.

``from autograder.exercises.nb01_one_process import q1, q2, q3`` in a notebook gives the
learner ``q1.check()``, ``q1.hint()`` and ``q1.solution()``.
"""

MODULES = {
    "00-start-here": "autograder.exercises.nb00_start_here",
    "01-one-process": "autograder.exercises.nb01_one_process",
    "02-backing-services": "autograder.exercises.nb02_backing_services",
    "03-scale-out": "autograder.exercises.nb03_scale_out",
    "04-atomicity": "autograder.exercises.nb04_atomicity",
    "05-sessions": "autograder.exercises.nb05_sessions",
    "06-scratch-disk": "autograder.exercises.nb06_scratch_disk",
    "07-build-time-assets": "autograder.exercises.nb07_build_time_assets",
}
