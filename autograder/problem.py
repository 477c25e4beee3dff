"""Exercises as learners meet them: ``q.check()``, ``q.hint(n)``, ``q.solution()``.

Two kinds:

- :class:`Prediction`: the answer is a variable in the notebook ("after the restart the
  counter shows ..."). Checked in the notebook itself; feedback never reveals the answer.
- :class:`AppExercise`: the answer is a file the learner wrote with ``%%writefile``; the
  platform runs it as processes. The check runs in a separate, short-lived Python process
  (``autograder.runner``) with its own Redis and a time budget, so a hanging or crashing
  answer, or one that calls ``sys.exit()``, cannot take the notebook's kernel with it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .messages import _
from .result import CORRECT, INCORRECT, NOT_ATTEMPTED, CheckFailed, Result, note_html, show
from .runner import PLATFORM_SWITCH, STARTED
from .solutions import SOLUTIONS_SWITCH, solutions_enabled  # noqa: F401 (re-exported)

# Solutions off (AUTOGRADER_SOLUTIONS=off in the hub's environment, or a class build) is
# "class mode": predictions are then recorded without saying right or wrong.
_MISSING = object()


def class_mode() -> bool:
    """Is this a graded class (solutions off: a class build, or switched off)?"""
    return not solutions_enabled()


@dataclass
class Exercise:
    """What every exercise has: a name, hints, and where its reference solution lives.

    A notebook's module declares its exercises with ``registry.bind_exercises``, which
    fills in ``notebook``, ``name``, ``hints`` and ``module`` from their position; only
    the tests' own fixtures set them by hand.
    """

    solution_cell: str = ""  # grade_id of the answer cell in the source notebook
    notebook: str = ""  # e.g. "01-one-process"
    name: str = ""  # e.g. "q3"
    hints: list[str] = field(default_factory=list)  # message keys, easiest first
    # Where the checker process finds this exercise: ``getattr(import_module(module),
    # attribute)``; the attribute is the exercise's name unless a test fixture says so.
    module: str = ""
    attribute: str = ""

    @property
    def global_name(self) -> str:
        return self.attribute or self.name

    @property
    def label(self) -> str:
        return _(f"{self.notebook}.{self.name}.title")

    # -- the learner's three calls ----------------------------------------------------
    def check(self, *args, **kwargs) -> None:
        """Check the answer; show what happened. Raises CheckFailed unless it is correct.

        Returns None on purpose: it is the last line of a test cell, and a returned
        Result would be displayed a second time. ``evaluate()`` returns the Result.
        """
        with warnings.catch_warnings(record=True), _quiet_stderr():
            # Warnings and stray stderr must not reach the cell: nbgrader scores any
            # stderr output in a test cell as a failure, even for a correct answer.
            warnings.simplefilter("always")
            result = self.evaluate(*args, **kwargs)
        shown = show(result) if (result.passed or _in_notebook()) else False
        if not result.passed:
            raise CheckFailed(result, shown=shown)

    def hint(self, n: int = 1) -> None:
        """Show hint ``n`` (1 points at the idea, 2 at the Redis command or pattern, ...)."""
        if not self.hints:
            _display_note(_("hint.title", n=n, total=0), _("hint.none"))
            return
        asked, total = n, len(self.hints)
        n = max(1, min(n, total))
        body = _(self.hints[n - 1])
        if n < total:
            body += "\n\n" + _("hint.more", next=n + 1, name=self.name)
        if asked > total:  # say so, rather than repeat the last hint as if it were new
            body = _("hint.past_last", asked=asked, total=total) + "\n\n" + body
        _display_note(_("hint.title", n=n, total=total), body)

    def solution(self) -> None:
        """Show the reference solution (self-paced mode only)."""
        if class_mode():  # a class build, or switched off (autograder/solutions.py)
            _display_note(_("solution.title"), _("solution.disabled"))
            return
        from .solutions import reference_source

        source = reference_source(self.notebook, self.solution_cell)
        if source is None:
            _display_note(_("solution.title"), _("solution.missing"))
        else:
            _display_note(_("solution.title"), source, kind="solution")

    def evaluate(self, *args, **kwargs) -> Result:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.notebook} {self.name}>"


def whole_number(value) -> int:
    """Accept 2, "2", " 2 " and 2.0; refuse 2.5, "two" and True (int() would take 2.5)."""
    if isinstance(value, bool):
        raise TypeError("a bool is not a count")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("not a whole number")
        return int(value)
    if isinstance(value, str):
        return int(value.strip())
    if isinstance(value, int):
        return value
    raise TypeError(f"not a number: {type(value).__name__}")


@dataclass
class Prediction(Exercise):
    """A prediction stored in a notebook variable, compared with the right answer."""

    variable: str = ""
    answer: object = None
    normalise: object = None  # optional callable applied to the learner's value

    def check(self, *args, **kwargs) -> None:
        """In class mode a prediction is not judged in the notebook: a check that said
        "not yet" could be called with 1, 2, 3, ... until it said "correct", and the points
        would reward guessing. So it records the answer and behaves the same whether it is
        right or wrong; the grade comes from the submitted answer, which the grader compares
        in its own process (``VerifyChecks``). The demo that follows shows what happens."""
        if not class_mode():
            return super().check(*args, **kwargs)
        namespace = kwargs.get("namespace")
        namespace = namespace if namespace is not None else _user_namespace()
        value = namespace.get(self.variable, _MISSING)
        if value is _MISSING or value is Ellipsis:
            return super().check(*args, **kwargs)  # "not attempted" tells nothing away
        _display_note(
            _("prediction.recorded.title", exercise=self.label),
            _("prediction.recorded", variable=self.variable, value=repr(value)),
        )
        return None

    def evaluate(self, namespace: dict | None = None, **_ignored) -> Result:
        namespace = namespace if namespace is not None else _user_namespace()
        base = {"exercise": self.label, "level": "prediction"}
        value = namespace.get(self.variable, _MISSING)
        if value is _MISSING or value is Ellipsis:
            return Result(
                NOT_ATTEMPTED,
                "not_attempted",
                summary=_("prediction.missing", variable=self.variable),
                **base,
            )
        try:
            mine = self.normalise(value) if self.normalise else value
        except (TypeError, ValueError):
            mine = _MISSING
        if mine is not _MISSING and mine == self.answer:
            return Result(
                CORRECT,
                CORRECT,
                summary=_(f"{self.notebook}.{self.name}.correct"),
                **base,
            )
        return Result(
            INCORRECT,
            "wrong_prediction",
            summary=_("prediction.wrong", variable=self.variable, value=repr(value)),
            next_step=_(f"{self.notebook}.{self.name}.retry"),
            **base,
        )


@dataclass
class AppExercise(Exercise):
    """An app file run as processes by the platform, in a separate checker process.

    ``plans`` maps a part name (one graded test cell each) to a function ``seed ->
    Scenario``; ``check()`` with no part runs every part. ``model`` builds the in-memory
    reference the app's responses are compared with; ``diagnose`` may name a more precise
    reason for a wrong response (e.g. two users sharing one cart). ``engine`` says what
    runs a part for one seed (the scenario engine unless the exercise names another).
    """

    app_file: str = ""
    plans: dict = field(default_factory=dict)
    model: object = None
    compare: object = None
    diagnose: object = None
    seeds_visible: tuple[int, ...] = (1,)
    seeds_hidden: tuple[int, ...] = (2, 3, 4, 5, 6)
    budget_seconds: float = 30.0
    # The check engine: ``engine(exercise, part, app, *, seed, level, redis) -> Result``
    # for one seed. None is the scenario engine (``scenario.check_seed``: ``plans``,
    # ``model``, ``compare``, ``diagnose``); 04 and 07 name their own.
    engine: object = None
    # False for an exercise whose engine deploys with real tools (09): its checker starts
    # no fork server and no embedded Redis, and the engine gets ``redis=None``.
    uses_platform: bool = True

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.plans)

    def evaluate(
        self, part: str | None = None, *, hidden: bool = False, app: str | Path | None = None
    ) -> Result:
        app_path = Path(app or self.app_file).resolve()
        parts = [part] if part else list(self.parts)
        for name in parts:
            if name not in self.plans:
                raise ValueError(f"{self.name} has no part {name!r}; parts: {self.parts}")
            result = run_in_checker(self, name, app_path, hidden=hidden)
            if not hidden and app_path.exists():
                from .progress import record

                record(self, name, app_path, result.outcome)  # progress() reuses it
            if not result.passed:
                result.part = name  # the heading names the part that failed
                return result
        if part:
            result.part = part
        return result

    def run_here(self, part: str, app: Path, *, level: str, redis) -> Result:
        """Run one part in *this* process (the checker calls this; tests may too): the
        exercise's engine, once per seed of the level, up to the first failure."""
        engine = self.engine
        if engine is None:
            from .scenario import check_seed as engine
        seeds = self.seeds_hidden if level == "hidden" else self.seeds_visible
        result = None
        for seed in seeds:
            result = engine(self, part, Path(app), seed=seed, level=level, redis=redis)
            if not result.passed:
                return result
        return result


def run_in_checker(exercise: AppExercise, part: str, app: Path, *, hidden: bool) -> Result:
    """Run one part of the check in a fresh Python process with a hard time budget."""
    level = "hidden" if hidden else "visible"
    base = {"exercise": exercise.label, "level": level}
    with tempfile.TemporaryDirectory(prefix="autograder-check-") as scratch:
        out = Path(scratch) / "result.json"
        command = [
            sys.executable,
            "-m",
            "autograder.runner",
            exercise.module,
            exercise.global_name,
            part,
            level,
            str(app),
            str(out),
        ]
        env = _checker_env()
        if not exercise.uses_platform:
            env[PLATFORM_SWITCH] = "off"
        try:
            proc = subprocess.Popen(
                command,
                cwd=scratch,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            return Result(
                INCORRECT,
                "checker_failed",
                summary=_("reason.checker_failed", error=str(exc)),
                **base,
            )
        output = _wait_for_checker(proc, exercise.budget_seconds)
        if output is None:
            return Result(
                INCORRECT,
                "timeout",
                summary=_("reason.budget_exceeded", seconds=exercise.budget_seconds),
                next_step=_("next.timeout"),
                **base,
            )
        if out.exists():
            try:
                return Result.from_dict(json.loads(out.read_text()))
            except (ValueError, TypeError):
                pass
        return _checker_died(output, proc.returncode, base)


def _wait_for_checker(proc: subprocess.Popen, seconds: float) -> bytes | None:
    """What the checker printed, once it ended; None if it ran past ``seconds`` (it is
    killed, and so is anything the app started in the checker's process group)."""
    try:
        output, _unused = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()
        return None
    finally:
        _kill_group(proc)  # anything the app started in the checker's group goes too
    return output or b""


def _checker_died(output: bytes, returncode: int, base: dict) -> Result:
    """The checker ended without a result: it failed before it ran the app (the platform's
    fault, said so), or the app ended the checker's process (what it printed is shown)."""
    text = output.decode(errors="replace")
    if STARTED not in text:
        return Result(
            INCORRECT,
            "checker_failed",
            summary=_("reason.checker_failed", error=text.strip()[-600:]),
            **base,
        )
    tail = text.split(STARTED, 1)[1].strip()[-600:]
    return Result(
        INCORRECT,
        "process_exited",
        summary=_("reason.process_exited", code=returncode),
        details=[_("detail.app_printed", output=tail)] if tail.strip() else [],
        next_step=_("next.process_exited"),
        **base,
    )


def _checker_env() -> dict[str, str]:
    env = dict(os.environ)
    # The notebook's own embedded Redis must never be the checker's: the checker empties
    # its database. An explicit REDIS_URL from outside (CI, a real server) is kept.
    if env.get("REDIS_URL") and env.get("REDIS_URL") == env.get("AUTOGRADER_EMBEDDED_URL"):
        del env["REDIS_URL"]
    env.pop("AUTOGRADER_EMBEDDED_URL", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONWARNINGS"] = "ignore"
    return env


def _kill_group(proc: subprocess.Popen) -> None:
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    else:  # pragma: no cover - Windows
        with contextlib.suppress(OSError):
            proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def _user_namespace() -> dict:
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            return shell.user_ns
    except ImportError:
        pass
    import __main__

    return vars(__main__)


def _display_note(title: str, body: str, kind: str = "hint") -> None:
    if _in_notebook():
        from IPython.display import HTML, display

        display(HTML(note_html(title, body, kind)))
    else:
        print(f"{title}\n{body}")


@contextlib.contextmanager
def _quiet_stderr():
    with contextlib.redirect_stderr(io.StringIO()):
        yield
