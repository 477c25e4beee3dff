"""The crash engine of 08: one part, one seed, on a fresh formation of the app."""

from __future__ import annotations

from pathlib import Path

from ...deadline import Deadline, Hung
from ...errors import AppCrashed
from ...feedback import crash_result
from ...fleet import Hang
from ...formation import Formation
from ...messages import _
from ...result import CORRECT, INCORRECT, NOT_ATTEMPTED, Result
from ...scenario import NOT_WRITTEN, TIMEOUT
from .check import Check
from .common import CALL_SECONDS, MAX_TRIES, PROCFILE, START_SECONDS, Stop
from .parts import PARTS


def worker_check(exercise, part: str, app: Path, *, seed: int, level: str, redis) -> Result:
    """The crash engine for one seed of a part (``AppExercise(engine=worker_check)``)."""
    run, scale, timeout = PARTS[part]
    base = {"exercise": exercise.label, "seed": seed, "level": level}
    app = Path(app)
    if not app.exists():
        return Result(
            NOT_ATTEMPTED,
            NOT_WRITTEN,
            summary=_("reason.not_written", app=app.name),
            next_step=_("next.not_written"),
            **base,
        )
    redis.flush()
    header = _("08-workers.platform.header", scale=scale_text(scale), seed=seed)
    formation = check = None
    try:
        with Deadline(START_SECONDS, "start"):
            formation = Formation(
                app,
                PROCFILE,
                scale=scale,
                redis_url=redis.url,
                env={"VISIBILITY_TIMEOUT": timeout, "MAX_TRIES": str(MAX_TRIES)},
            )
        check = Check(formation, redis, base)
        check.log.append(header)
        values = run(check, seed)
    except Stop as stop:
        return stop.result
    except AppCrashed as crash:
        return crash_result(crash.args[0], header, base)
    except (Hang, Hung) as hang:
        return timeout_result(hang, check.log[-8:] if check else [header], base)
    finally:
        if formation is not None:
            formation.close()
    return Result(CORRECT, CORRECT, summary=_(f"08-workers.summary.{part}", **values), **base)


def timeout_result(hang, log: list[str], base: dict) -> Result:
    what = _("platform.starting_app") if isinstance(hang, Hung) else _("08-workers.platform.a_call")
    return Result(
        INCORRECT,
        TIMEOUT,
        summary=_("reason.timeout", what=what, seconds=CALL_SECONDS),
        platform=log,
        next_step=_("next.timeout"),
        **base,
    )


def scale_text(scale: dict) -> str:
    return ", ".join(f"{kind}={count}" for kind, count in scale.items())
