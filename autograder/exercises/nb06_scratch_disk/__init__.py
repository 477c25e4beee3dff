"""06-scratch-disk: the disk as a one-request scratch space.

Both apps download a CSV of orders from the platform's file host (``FILES_URL``) with
``requests`` and summarise it. The checks start a private :class:`FileHost` in the checker
process and make it misbehave on purpose:

- two requests overlap on *one* process: the first is paused half way through its
  download (``pause_after="DOWNLOADING"``) while the second runs whole, so two requests
  that share a temp file name overwrite each other every time, not only under load;
- a file on the host is replaced by a new version, so a copy kept on disk "for next time"
  serves stale numbers;
- a download is cut half way, stalls, or answers 404: the app must raise, store nothing,
  and leave nothing on disk;
- a process is killed right after each event of a report job in turn (half the file read,
  all of it read, each Redis command): another process must then see no report or the
  complete one, never a partial one, and a retry must succeed.

After every request the check walks each process's disk (from outside, as a platform's
disk-usage monitor does): a file left behind is a leak, whatever its name.

The package, by job: ``data`` (the CSVs and the file host), ``model``, ``steps`` (the
:class:`Inspect` steps), ``plans``, ``reasons`` (the reason codes); the exercises are
declared here.
"""

from __future__ import annotations

from ...problem import AppExercise
from ...registry import bind_exercises
from .data import orders_csv as orders_csv  # the notebook's demo cells use these two
from .data import summary_of as summary_of
from .model import ReportModel, SummaryModel, stale_diagnose
from .plans import (
    HIDDEN_SEEDS,
    VISIBLE_SEEDS,
    all_or_nothing_plan,
    clean_disk_plan,
    failed_download_plan,
    private_files_plan,
)

summary_app = AppExercise(
    solution_cell="summary_app",
    app_file="order_summary.py",
    plans={"private_temp_files": private_files_plan, "clean_disk": clean_disk_plan},
    model=SummaryModel,
    diagnose=stale_diagnose,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

report_job_app = AppExercise(
    solution_cell="report_job_app",
    app_file="report_job.py",
    plans={"all_or_nothing": all_or_nothing_plan, "failed_download": failed_download_plan},
    model=ReportModel,
    diagnose=stale_diagnose,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

bind_exercises(globals(), [summary_app, report_job_app])
