"""Grading a class you can trust: nbgrader plugins and the parallel class grader.

- :mod:`.reap` makes the grading process a child subreaper and kills every process a
  submission started (kernels' daemons, double forks, new sessions), Linux only.
- :mod:`.preprocessors` holds the two nbgrader plugins ``course/nbgrader_config.py``
  registers: :class:`~.preprocessors.GuardedExecute` (nbgrader's Execute, plus a dead
  kernel costs only the cells it did not run, a private TMPDIR and reaping) and
  :class:`~.preprocessors.VerifyChecks` (every passing check is re-run by the grader, so a
  notebook cannot fake a pass by monkeypatching the check).
- :mod:`.seal`, :mod:`.sealed_kernel` and :mod:`.sealed_check` seal every process that
  runs a submission's code in bubblewrap: the kernel (over unix sockets) and the
  grader's own check runs (docs/instructors.md, "Sealed grading").
- :mod:`.classgrade` is ``python -m autograder grade ASSIGNMENT``: shards a class over
  all cores, one nbgrader per shard, merged into the course gradebook.
"""
