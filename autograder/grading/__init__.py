"""Grading a class you can trust: nbgrader plugins and the parallel class grader.

- :mod:`.reap` makes the grading process a child subreaper and kills every process a
  submission started (kernels' daemons, double forks, new sessions), Linux only.
- The nbgrader plugins ``course/nbgrader_config.py`` registers, one per file as nbgrader's
  own: :mod:`.guarded_execute` (nbgrader's Execute, plus a dead kernel costs only the
  cells it did not run, a private TMPDIR and reaping), :mod:`.verify_checks` (every
  passing check is re-run by the grader, so a notebook cannot fake a pass by
  monkeypatching the check), :mod:`.drop_broken_grade_metadata` (a sanitize step) and
  :mod:`.hide_test_internals` (feedback without hidden tests). What they share:
  :mod:`.cells` (test cells as the grader reads them), :mod:`.containment` (TMPDIR,
  memory, reaping), :mod:`.predictions` (a prediction read from the submission) and
  :mod:`.demos` (the demonstration cells autograde does not run, and why that is safe).
- :mod:`.seal`, :mod:`.sealed_kernel` and :mod:`.sealed_check` seal every process that
  runs a submission's code in bubblewrap: the kernel (over unix sockets) and the
  grader's own check runs (docs/instructors.md, "Sealed grading").
- :mod:`.classgrade` is ``python -m autograder grade ASSIGNMENT``: shards a class over
  all cores, one nbgrader per shard, merged into the course gradebook.
"""
