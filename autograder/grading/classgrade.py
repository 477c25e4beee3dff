"""Grade a whole class in parallel: ``python -m autograder grade ASSIGNMENT``.

nbgrader autogrades one submission after another (jupyter/nbgrader#174). This shards the
class by student: each shard is a private copy of the course (config, the assignment's
source, a copy of the gradebook database, and only its students' submissions) where a
plain ``nbgrader autograde`` runs, ``--jobs`` shards at a time. When a shard is done its
submissions are copied into the course gradebook (grades, comments, timestamps, flags)
and its autograded notebooks into ``autograded/``, exactly where a sequential run would
have put them, so ``generate_feedback``, formgrader and ``export`` work as usual. At the
end it prints a summary table and writes the CSV ``nbgrader export`` writes.

A submission nbgrader cannot grade (not JSON, empty) ends as with sequential nbgrader
(a submission scored 0, no autograded notebook) and is listed as FAILED in the summary.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import reap, seal

DONE_MARKERS = ("Setting destination file permissions", "There was an error processing assignment:")
FAILED = re.compile(r"There was an error processing assignment '[^']*' for student '([^']+)'")


@dataclass
class Shard:
    index: int
    students: list[str]
    root: Path
    returncode: int | None = None
    log: str = ""
    seconds: float = 0.0


@dataclass
class ClassGrade:
    assignment: str
    students: list[str]
    scores: dict[str, float | None]  # None: no submission in the gradebook
    max_score: float
    csv: Path
    seconds: float
    shards: list[Shard] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # nbgrader reported an error for them


class Progress:
    """A one-line progress bar on stderr (redrawn in place on a terminal)."""

    def __init__(self, total: int, stream=sys.stderr, width: int = 30):
        self.total, self.done, self.stream, self.width = total, 0, stream, width
        self.start = time.monotonic()
        self.lock = threading.Lock()
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def advance(self, n: int = 1) -> None:
        with self.lock:
            self.done = min(self.total, self.done + n)
            self.draw(final=self.done == self.total)

    def draw(self, final: bool = False) -> None:
        filled = int(self.width * self.done / max(1, self.total))
        bar = "#" * filled + "." * (self.width - filled)
        line = f"[{bar}] {self.done}/{self.total} graded  {time.monotonic() - self.start:5.0f} s"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def submitted_students(course: Path, assignment: str) -> list[str]:
    folder = course / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())


def make_shards(course: Path, assignment: str, students: list[str], jobs: int, scratch: Path):
    """Split students into about 2 shards per job (so a slow shard does not idle a core)."""
    count = max(1, min(len(students), jobs * 2))
    size = math.ceil(len(students) / count)
    shards = []
    for i in range(0, len(students), size):
        root = scratch / f"shard-{len(shards):03d}"
        (root / "source").mkdir(parents=True)
        shutil.copy(course / "nbgrader_config.py", root / "nbgrader_config.py")
        shutil.copytree(course / "source" / assignment, root / "source" / assignment)
        shutil.copy(course / "gradebook.db", root / "gradebook.db")
        part = students[i : i + size]
        for student in part:
            shutil.copytree(
                course / "submitted" / student / assignment,
                root / "submitted" / student / assignment,
                symlinks=True,
            )
        shards.append(Shard(len(shards), part, root))
    return shards


def run_shard(shard: Shard, assignment: str, progress: Progress | None, extra: list[str]):
    """``nbgrader autograde`` in the shard, in its own session; killed afterwards, whole."""
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force", *extra],
        cwd=shard.root,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if progress is not None and any(m in line for m in DONE_MARKERS):
            progress.advance()
    shard.returncode = proc.wait()
    try:
        os.killpg(proc.pid, 9)
    except (ProcessLookupError, PermissionError):
        pass
    shard.log = "".join(lines)
    shard.seconds = time.monotonic() - start
    return shard


def merge_shard(course: Path, shard: Shard, assignment: str) -> dict[str, float | None]:
    """Copy the shard's submissions into the course gradebook and autograded/ folder."""
    from nbgrader.api import Gradebook, MissingEntry

    scores: dict[str, float | None] = {}
    with (
        Gradebook(f"sqlite:///{shard.root / 'gradebook.db'}") as src,
        Gradebook(f"sqlite:///{course / 'gradebook.db'}") as dst,
    ):
        for student in shard.students:
            record = src.find_student(student) if _has_student(src, student) else None
            fields = {}
            if record is not None:
                fields = {k: getattr(record, k) for k in ("first_name", "last_name", "email")}
                fields = {k: v for k, v in fields.items() if v}
            dst.update_or_create_student(student, **fields)
            kept = instructor_marks(dst, assignment, student)
            try:
                dst.remove_submission(assignment, student)
            except MissingEntry:
                pass
            target = course / "autograded" / student / assignment
            try:
                sub = src.find_submission(assignment, student)
            except MissingEntry:
                scores[student] = None  # nbgrader could not grade it
                shutil.rmtree(target, ignore_errors=True)
                continue
            # Only what autograde computes comes from the shard; what the instructor gave
            # (manual scores, extra credit, comments, flags, extensions) stays as it was
            # in the course gradebook, as a re-autograde in place keeps it.
            new = dst.add_submission(assignment, student, timestamp=sub.timestamp)
            new.extension = kept.get("extension")
            for nb in sub.notebooks:
                dnb = dst.find_submission_notebook(nb.name, assignment, student)
                dnb.flagged = kept.get(("flagged", nb.name), False)
                dnb.late_submission_penalty = nb.late_submission_penalty
                for grade in nb.grades:
                    g = dst.find_grade(grade.name, nb.name, assignment, student)
                    g.auto_score = grade.auto_score
                    # As nbgrader decided in the shard, whose gradebook copy held the same
                    # manual scores.
                    g.needs_manual_grade = grade.needs_manual_grade
                    manual = kept.get(("grade", nb.name, grade.name))
                    if manual is not None:
                        g.manual_score, g.extra_credit = manual
                for comment in nb.comments:
                    c = dst.find_comment(comment.name, nb.name, assignment, student)
                    c.auto_comment = comment.auto_comment
                    c.manual_comment = kept.get(("comment", nb.name, comment.name))
            dst.db.commit()
            scores[student] = float(dst.find_submission(assignment, student).score)
            shutil.rmtree(target, ignore_errors=True)
            graded = shard.root / "autograded" / student / assignment
            if graded.is_dir():  # absent when nbgrader could not grade it
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copytree(graded, target)
    return scores


def instructor_marks(gb, assignment: str, student: str) -> dict:
    """What an instructor gave one submission in this gradebook ({} when none):
    ``("grade", nb, cell)``: (manual score, extra credit), ``("comment", nb, cell)``:
    manual comment, ``("flagged", nb)``, and ``"extension"``."""
    from nbgrader.api import MissingEntry

    try:
        sub = gb.find_submission(assignment, student)
    except MissingEntry:
        return {}
    marks: dict = {"extension": sub.extension}
    for nb in sub.notebooks:
        marks[("flagged", nb.name)] = nb.flagged
        for g in nb.grades:
            if g.manual_score is not None or g.extra_credit is not None:
                marks[("grade", nb.name, g.name)] = (g.manual_score, g.extra_credit)
        for c in nb.comments:
            marks[("comment", nb.name, c.name)] = c.manual_comment
    return marks


def _has_student(gb, student: str) -> bool:
    from nbgrader.api import MissingEntry

    try:
        gb.find_student(student)
        return True
    except MissingEntry:
        return False


def export_csv(course: Path, to: Path) -> Path:
    """The CSV ``nbgrader export --to=TO`` writes, written by nbgrader's own plugin."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        CsvExportPlugin(to=str(to)).export(gb)
    return to


def grade(
    assignment: str,
    course: Path | str = "course",
    jobs: int | None = None,
    csv: Path | str | None = None,
    progress: bool = True,
    extra: list[str] | None = None,
    out=sys.stdout,
) -> ClassGrade:
    course = Path(course).resolve()
    jobs = jobs or os.cpu_count() or 1
    if not (course / "gradebook.db").exists():
        raise SystemExit(
            f"{course}/gradebook.db does not exist: run `nbgrader generate_assignment "
            f"{assignment}` in {course} first."
        )
    _require_assignment(course, assignment)
    require_sealed(extra or [], out)
    students = submitted_students(course, assignment)
    if not students:
        raise SystemExit(f"nothing to grade: no {course}/submitted/*/{assignment}/")
    csv_path = Path(csv) if csv else course / "grades.csv"
    start = time.monotonic()
    reap.become_subreaper()
    before = set(reap.descendants())
    bar = Progress(len(students)) if progress else None
    scores: dict[str, float | None] = {}
    with tempfile.TemporaryDirectory(prefix="autograder-classgrade-") as scratch:
        shards = make_shards(course, assignment, students, jobs, Path(scratch))
        print(
            f"Grading {len(students)} submissions of {assignment} in {len(shards)} shards, "
            f"{jobs} at a time.",
            file=out,
        )
        try:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                futures = [pool.submit(run_shard, s, assignment, bar, extra or []) for s in shards]
                for future in futures:
                    shard = future.result()
                    scores.update(merge_shard(course, shard, assignment))
        finally:
            reap.kill_descendants(keep=before)
    if bar is not None and bar.done < bar.total:
        bar.advance(bar.total - bar.done)
    export_csv(course, csv_path)
    result = ClassGrade(
        assignment=assignment,
        students=students,
        scores={s: scores.get(s) for s in students},
        max_score=_max_score(course, assignment),
        csv=csv_path,
        seconds=time.monotonic() - start,
        shards=shards,
        failed=sorted({m for shard in shards for m in FAILED.findall(shard.log)}),
    )
    print(summary_table(result), file=out)
    return result


def require_sealed(extra: list[str], out=None) -> None:
    """Refuse before grading anyone unless kernels can run sealed, or the instructor
    passed the opt-out (``--GuardedExecute.sandbox=none``), which is said loudly."""
    from .preprocessors import UNSEALED_WARNING

    if any(arg.replace(" ", "") == "--GuardedExecute.sandbox=none" for arg in extra):
        print("WARNING: " + UNSEALED_WARNING % "every submission", file=out or sys.stdout)
        return
    try:
        seal.require()
    except seal.SealUnavailable as exc:
        raise SystemExit(f"error: {exc}") from None


def _require_assignment(course: Path, assignment: str) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise SystemExit(
                f"{assignment} is not in the gradebook: run `nbgrader generate_assignment "
                f"{assignment}` first."
            ) from None


def _max_score(course: Path, assignment: str) -> float:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return float(gb.find_assignment(assignment).max_score)


def summary_table(result: ClassGrade) -> str:
    width = max([len("student"), *(len(s) for s in result.students)])
    lines = [f"{'student':<{width}}  {'score':>7}  {'max':>5}  status", "-" * (width + 26)]
    for student in result.students:
        score = result.scores[student]
        shown = "-" if score is None else f"{score:g}"
        failed = student in result.failed or score is None
        status = "FAILED (nbgrader could not grade it; see the log)" if failed else "ok"
        lines.append(f"{student:<{width}}  {shown:>7}  {result.max_score:>5g}  {status}")
    graded = [v for s, v in result.scores.items() if v is not None and s not in result.failed]
    mean = sum(graded) / len(graded) if graded else 0.0
    lines.append("-" * (width + 26))
    lines.append(
        f"{len(graded)} graded, {len(result.failed)} failed, mean {mean:.2f}/{result.max_score:g}"
        f", {result.seconds:.0f} s; CSV: {result.csv}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder grade",
        description="Autograde every submission of ASSIGNMENT in parallel (nbgrader per shard).",
    )
    parser.add_argument("assignment")
    parser.add_argument("--course", default="course", help="the nbgrader course root")
    parser.add_argument("--jobs", "-j", type=int, default=None, help="parallel shards (cores)")
    parser.add_argument("--csv", default=None, help="where to write the export CSV")
    parser.add_argument("--no-progress", action="store_true")
    args, extra = parser.parse_known_args(argv)
    result = grade(
        args.assignment,
        course=args.course,
        jobs=args.jobs,
        csv=args.csv,
        progress=not args.no_progress,
        extra=extra,
    )
    return 1 if result.failed else 0
